# Native tests of catalog/: validations, the manifest checks, conditional bucket and product wiring.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }
  mock_data "aws_region" {
    defaults = {
      endpoint = "ec2.eu-west-1.amazonaws.com"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_data "aws_servicecatalog_provisioning_artifacts" {
    defaults = {
      provisioning_artifact_details = []
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }
  mock_resource "aws_servicecatalog_portfolio" {
    defaults = {
      arn = "arn:aws:catalog:eu-west-1:123456789012:portfolio/port-abcdefghijklm"
      id  = "port-abcdefghijklm"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }
}

variables {
  manifest_path = "tests/fixtures/manifest.json"
  teams = {
    fraud = {}
    churn = { products = [] }
  }
}

run "bucket_key_and_parameter_are_created_by_default" {
  command = plan

  assert {
    condition     = length(module.artifact_bucket) == 1 && length(module.kms_key) == 1
    error_message = "Without artifact_bucket_name the catalog creates its bucket and key."
  }

  assert {
    condition     = aws_ssm_parameter.catalog_bucket.value == "mlops-templates-catalog-123456789012-eu-west-1"
    error_message = "The parameter must hold the catalog bucket's name."
  }
}

run "existing_bucket_is_used_as_given" {
  command = plan

  variables {
    artifact_bucket_name = "platform-artifacts"
  }

  assert {
    condition     = length(module.artifact_bucket) == 0 && length(module.kms_key) == 0
    error_message = "An existing bucket means no bucket or key is created."
  }

  assert {
    condition     = local.template_base == "https://platform-artifacts.s3.eu-west-1.amazonaws.com"
    error_message = "Template URLs must point into the given bucket."
  }
}

run "products_go_only_to_the_teams_that_offer_them" {
  command = apply

  # What Service Catalog returns once the product exists with its first version.
  override_data {
    target = module.product["build-train-deploy"].data.aws_servicecatalog_provisioning_artifacts.published
    values = {
      provisioning_artifact_details = [
        { active = true, created_time = "2026-11-01T10:00:00Z", description = "", guidance = "DEFAULT", id = "pa-initial", name = "1.0.0", type = "EXTERNAL" },
      ]
    }
  }

  assert {
    condition     = keys(output.portfolio_ids) == ["churn", "fraud"]
    error_message = "Each team needs its portfolio."
  }

  assert {
    condition     = keys(output.products) == ["build-train-deploy"] && length(output.products["build-train-deploy"].versions) == 3
    error_message = "Every product of the manifest and all its versions must be published."
  }

  assert {
    condition     = join(",", output.products["build-train-deploy"].teams) == "fraud"
    error_message = "Only fraud offers the product (churn lists no products)."
  }
}

run "no_manifest_publishes_no_product" {
  command = plan

  variables {
    manifest_path = "tests/fixtures/none.json"
  }

  assert {
    condition     = length(module.product) == 0 && length(module.portfolio) == 2
    error_message = "Before the first upload only the bucket, portfolios and personas exist."
  }
}

run "product_without_launch_policy_is_refused" {
  command = plan

  variables {
    manifest_path = "tests/fixtures/manifest-unknown-product.json"
  }

  expect_failures = [terraform_data.manifest]
}

run "foreign_manifest_is_refused" {
  command = plan

  variables {
    manifest_path = "tests/fixtures/manifest-old-format.json"
  }

  expect_failures = [terraform_data.manifest]
}

run "engine_new_enough_passes" {
  command = plan

  variables {
    terraform_engine_cli_version = "1.9.8"
  }

  assert {
    condition     = length(local.engine_too_old) == 0 && output.terraform_required_versions["build-train-deploy"] == ">= 1.9"
    error_message = "An engine with Terraform 1.9.8 satisfies >= 1.9."
  }
}

run "engine_too_old_is_refused" {
  command = plan

  variables {
    terraform_engine_cli_version = "1.2.8"
  }

  expect_failures = [terraform_data.manifest]
}

run "engine_version_is_checked" {
  command = plan

  variables {
    terraform_engine_cli_version = "latest"
  }

  expect_failures = [var.terraform_engine_cli_version]
}

run "teams_are_required" {
  command = plan

  variables {
    teams = {}
  }

  expect_failures = [var.teams]
}

run "team_names_are_checked" {
  command = plan

  variables {
    teams = { "Data Science" = {} }
  }

  expect_failures = [var.teams]
}

run "team_is_not_a_shared_tag_option" {
  command = plan

  variables {
    tag_options = { team = ["x"] }
  }

  expect_failures = [var.tag_options]
}

run "tag_options_need_values" {
  command = plan

  variables {
    tag_options = { cost-center = [] }
  }

  expect_failures = [var.tag_options]
}

run "parameter_name_is_checked" {
  command = plan

  variables {
    catalog_bucket_parameter_name = "no-leading-slash"
  }

  expect_failures = [var.catalog_bucket_parameter_name]
}

run "name_prefix_is_checked" {
  command = plan

  variables {
    name_prefix = "MLOps"
  }

  expect_failures = [var.name_prefix]
}
