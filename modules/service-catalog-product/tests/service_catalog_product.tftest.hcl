# Native tests of modules/service-catalog-product: versions, associations, launch constraints, the guard
# against deleting published versions, output wiring and every validation.
mock_provider "aws" {
  mock_resource "aws_servicecatalog_product" {
    defaults = {
      id = "prod-abcdefghijklm"
    }
  }

  # What Service Catalog lists for a product created with version 1.0.0.
  mock_data "aws_servicecatalog_provisioning_artifacts" {
    defaults = {
      provisioning_artifact_details = [
        { active = true, created_time = "2026-11-01T10:00:00Z", description = "", guidance = "DEFAULT", id = "pa-initial", name = "1.0.0", type = "EXTERNAL" },
      ]
    }
  }
}

variables {
  name  = "mlops-build-deploy"
  owner = "ML platform team"
  versions = {
    "1.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz", description = "First" }
  }
}

run "external_product_with_one_version" {
  command = plan

  assert {
    condition     = aws_servicecatalog_product.this.type == "EXTERNAL" && aws_servicecatalog_product.this.provisioning_artifact_parameters[0].type == "EXTERNAL"
    error_message = "The product and its first version must be EXTERNAL by default."
  }

  assert {
    condition     = aws_servicecatalog_product.this.provisioning_artifact_parameters[0].name == "1.0.0" && aws_servicecatalog_product.this.provisioning_artifact_parameters[0].template_url == "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz"
    error_message = "The only version must be created with the product."
  }

  assert {
    condition     = length(aws_servicecatalog_provisioning_artifact.this) == 0 && length(aws_servicecatalog_constraint.launch) == 0 && length(aws_servicecatalog_product_portfolio_association.this) == 0
    error_message = "No extra artifacts, associations or constraints by default."
  }

  assert {
    condition     = aws_servicecatalog_product.this.tags == tomap({ "sagemaker:studio-visibility" = "true" })
    error_message = "The product must always carry sagemaker:studio-visibility = true."
  }
}

run "studio_visibility_wins_over_caller_tags" {
  command = plan

  variables {
    tags = { owner = "ml-platform", "sagemaker:studio-visibility" = "false" }
  }

  assert {
    condition     = aws_servicecatalog_product.this.tags == tomap({ owner = "ml-platform", "sagemaker:studio-visibility" = "true" })
    error_message = "Caller tags must be merged, and studio visibility must stay true."
  }
}

run "later_versions_are_artifacts" {
  command = apply

  variables {
    product_type = "TERRAFORM_CLOUD"
    versions = {
      "1.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz" }
      "1.1.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.1.0.tar.gz", guidance = "DEPRECATED" }
      "2.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/2.0.0.tar.gz", active = false }
    }
  }

  assert {
    condition     = aws_servicecatalog_product.this.provisioning_artifact_parameters[0].name == "1.0.0"
    error_message = "The first version in sorted order must be created with the product."
  }

  assert {
    condition     = toset(keys(aws_servicecatalog_provisioning_artifact.this)) == toset(["1.1.0", "2.0.0"])
    error_message = "Every other version must be a provisioning artifact."
  }

  assert {
    condition     = aws_servicecatalog_provisioning_artifact.this["1.1.0"].guidance == "DEPRECATED" && aws_servicecatalog_provisioning_artifact.this["2.0.0"].active == false && aws_servicecatalog_provisioning_artifact.this["2.0.0"].type == "TERRAFORM_CLOUD"
    error_message = "Artifacts must carry guidance, active and the product type."
  }

  assert {
    condition     = output.version_ids["1.0.0"] == "pa-initial" && output.version_ids["1.1.0"] == aws_servicecatalog_provisioning_artifact.this["1.1.0"].provisioning_artifact_id && length(output.version_ids) == 3
    error_message = "version_ids must map every version to its provisioning artifact ID."
  }

  assert {
    condition     = output.id == "prod-abcdefghijklm" && output.arn == aws_servicecatalog_product.this.arn && output.name == "mlops-build-deploy"
    error_message = "id, arn and name outputs must come from the product."
  }
}

run "initial_version_can_be_pinned" {
  command = plan

  variables {
    versions = {
      "0.9.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/0.9.0.tar.gz" }
      "1.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz" }
    }
    initial_version = "1.0.0"
  }

  assert {
    condition     = aws_servicecatalog_product.this.provisioning_artifact_parameters[0].name == "1.0.0" && keys(aws_servicecatalog_provisioning_artifact.this) == ["0.9.0"]
    error_message = "initial_version must choose the version created with the product."
  }
}

run "portfolios_tag_options_and_launch_constraints" {
  command = apply

  variables {
    portfolio_ids    = { main = "port-aaaaaaaaaaaaa", team = "port-bbbbbbbbbbbbb" }
    tag_option_ids   = { "team=fraud" = "tag-aaaaaaaaaaaaa" }
    launch_role_name = "SCLaunchRole"
  }

  assert {
    condition     = aws_servicecatalog_product_portfolio_association.this["team"].portfolio_id == "port-bbbbbbbbbbbbb" && aws_servicecatalog_product_portfolio_association.this["main"].product_id == "prod-abcdefghijklm"
    error_message = "The product must be associated with every portfolio."
  }

  assert {
    condition     = aws_servicecatalog_tag_option_resource_association.this["team=fraud"].resource_id == "prod-abcdefghijklm" && aws_servicecatalog_tag_option_resource_association.this["team=fraud"].tag_option_id == "tag-aaaaaaaaaaaaa"
    error_message = "TagOptions must be associated with the product."
  }

  assert {
    condition     = alltrue([for k, c in aws_servicecatalog_constraint.launch : c.type == "LAUNCH" && jsondecode(c.parameters) == { LocalRoleName = "SCLaunchRole" } && c.portfolio_id == var.portfolio_ids[k]])
    error_message = "Every portfolio needs a LAUNCH constraint with the LocalRoleName."
  }

  assert {
    condition     = output.launch_constraint_ids == { for k, c in aws_servicecatalog_constraint.launch : k => c.id } && length(output.launch_constraint_ids) == 2
    error_message = "launch_constraint_ids must map portfolio keys to constraint IDs."
  }
}

run "stops_when_a_published_version_disappears" {
  command = plan

  override_data {
    target = data.aws_servicecatalog_provisioning_artifacts.published
    values = {
      provisioning_artifact_details = [
        { active = true, created_time = "2026-11-01T10:00:00Z", description = "", guidance = "DEFAULT", id = "pa-initial", name = "1.0.0", type = "EXTERNAL" },
        { active = true, created_time = "2026-11-02T10:00:00Z", description = "", guidance = "DEFAULT", id = "pa-second", name = "1.1.0", type = "EXTERNAL" },
      ]
    }
  }

  expect_failures = [data.aws_servicecatalog_provisioning_artifacts.published]
}

run "deletes_a_retired_version" {
  command = apply

  variables {
    retired_versions = ["1.1.0"]
  }

  override_data {
    target = data.aws_servicecatalog_provisioning_artifacts.published
    values = {
      provisioning_artifact_details = [
        { active = true, created_time = "2026-11-01T10:00:00Z", description = "", guidance = "DEFAULT", id = "pa-initial", name = "1.0.0", type = "EXTERNAL" },
        { active = true, created_time = "2026-11-02T10:00:00Z", description = "", guidance = "DEFAULT", id = "pa-second", name = "1.1.0", type = "EXTERNAL" },
      ]
    }
  }

  assert {
    condition     = keys(output.version_ids) == ["1.0.0"]
    error_message = "Only the remaining version is left."
  }
}

run "stops_when_the_initial_version_changes" {
  command = plan

  variables {
    versions = {
      "0.9.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/0.9.0.tar.gz" }
      "1.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz" }
    }
  }

  expect_failures = [data.aws_servicecatalog_provisioning_artifacts.published]
}

run "rejects_unknown_initial_version" {
  command = plan
  variables {
    initial_version = "9.9.9"
  }
  expect_failures = [var.initial_version]
}

run "rejects_launch_role_arn" {
  command = plan
  variables {
    launch_role_name = "arn:aws:iam::123456789012:role/SCLaunchRole"
  }
  expect_failures = [var.launch_role_name]
}

run "rejects_empty_name" {
  command = plan
  variables {
    name = ""
  }
  expect_failures = [var.name]
}

run "rejects_empty_owner" {
  command = plan
  variables {
    owner = ""
  }
  expect_failures = [var.owner]
}

run "rejects_terraform_open_source" {
  command = plan
  variables {
    product_type = "TERRAFORM_OPEN_SOURCE"
  }
  expect_failures = [var.product_type]
}

run "rejects_retiring_a_listed_version" {
  command = plan
  variables {
    retired_versions = ["1.0.0"]
  }
  expect_failures = [var.retired_versions]
}

run "rejects_bad_support_email" {
  command = plan
  variables {
    support_email = "ml-platform"
  }
  expect_failures = [var.support_email]
}

run "rejects_bad_support_url" {
  command = plan
  variables {
    support_url = "wiki/ml-platform"
  }
  expect_failures = [var.support_url]
}

run "rejects_no_versions" {
  command = plan
  variables {
    versions = {}
  }
  expect_failures = [var.versions]
}

run "rejects_bad_guidance" {
  command = plan
  variables {
    versions = {
      "1.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz" }
      "1.1.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.1.0.tar.gz", guidance = "RETIRED" }
    }
  }
  expect_failures = [var.versions]
}

run "rejects_http_template_url" {
  command = plan
  variables {
    versions = {
      "1.0.0" = { template_url = "http://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz" }
    }
  }
  expect_failures = [var.versions]
}

run "rejects_version_name_with_space" {
  command = plan
  variables {
    versions = {
      "1.0.0 beta" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz" }
    }
  }
  expect_failures = [var.versions]
}

run "rejects_inactive_initial_version" {
  command = plan
  variables {
    versions = {
      "1.0.0" = { template_url = "https://bucket.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz", guidance = "DEPRECATED" }
    }
  }
  expect_failures = [var.initial_version]
}
