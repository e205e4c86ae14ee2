# Native tests of modules/launch-roles: a launch role per product with its policies, the boundary and its guard,
# output wiring, every validation.
mock_provider "aws" {
  # The real provider validates policy JSON; a mocked document must be a valid (empty) policy.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
    }
  }
}

variables {
  account_id          = "123456789012"
  region              = "eu-west-1"
  name_prefix         = "mlops"
  artifact_bucket_arn = "arn:aws:s3:::mlops-catalog-123456789012"
  permissions_boundary = {
    name        = "mlops-project-boundary"
    path        = "/mlops-templates/"
    policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

run "no_products_only_the_boundary" {
  command = plan

  assert {
    condition     = length(aws_iam_role.this) == 0 && length(output.role_names) == 0
    error_message = "No launch role without products."
  }

  assert {
    condition     = aws_iam_policy.boundary.name == "mlops-project-boundary" && aws_iam_policy.boundary.path == "/mlops-templates/"
    error_message = "The boundary policy has the name and path the products compute its ARN from."
  }
}

run "launch_role_per_product" {
  command = plan

  variables {
    products = {
      build-train-deploy = { launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:CreateBucket\",\"Resource\":\"arn:aws:s3:::sagemaker-project-p-*\"}]}" }
      batch-inference    = { launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
    }
  }

  assert {
    condition     = aws_iam_role.this["build-train-deploy"].name == "mlops-launch-build-train-deploy" && output.role_names["batch-inference"] == "mlops-launch-batch-inference"
    error_message = "Launch roles are named <name_prefix>-launch-<product>."
  }

  assert {
    condition     = aws_iam_role_policy.product["build-train-deploy"].policy == var.products["build-train-deploy"].launch_policy_json
    error_message = "Each launch role holds exactly its product's policy."
  }

  assert {
    condition     = length(aws_iam_role_policy.engine) == 2 && length(aws_iam_role_policy.boundary_guard) == 2
    error_message = "Every launch role gets the engine's policy and the boundary guard."
  }
}

run "outputs_follow_the_resources" {
  command = apply

  variables {
    products = { demo = { launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" } }
  }

  assert {
    condition     = output.role_arns["demo"] == aws_iam_role.this["demo"].arn && output.permissions_boundary_arn == aws_iam_policy.boundary.arn
    error_message = "ARN outputs must come from the resources."
  }
}

run "rejects_bad_product_key" {
  command = plan
  variables {
    products = { "Build Train" = { launch_policy_json = "{\"Statement\":[]}" } }
  }
  expect_failures = [var.products]
}

run "rejects_product_policy_that_is_not_json" {
  command = plan
  variables {
    products = { demo = { launch_policy_json = "s3:*" } }
  }
  expect_failures = [var.products]
}

run "rejects_bad_engine_role_pattern" {
  command = plan
  variables {
    terraform_engine_role_arn_patterns = ["TerraformEngine/*"]
  }
  expect_failures = [var.terraform_engine_role_arn_patterns]
}

run "rejects_bad_boundary_path" {
  command = plan
  variables {
    permissions_boundary = { name = "b", path = "mlops-templates", policy_json = "{\"Statement\":[]}" }
  }
  expect_failures = [var.permissions_boundary]
}

run "rejects_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = { name = "b", path = "/", policy_json = "iam:*" }
  }
  expect_failures = [var.permissions_boundary]
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    account_id = "12345"
  }
  expect_failures = [var.account_id]
}

run "rejects_bad_region" {
  command = plan
  variables {
    region = "Europe"
  }
  expect_failures = [var.region]
}

run "rejects_artifact_bucket_object_arn" {
  command = plan
  variables {
    artifact_bucket_arn = "arn:aws:s3:::mlops-catalog/products/x.tar.gz"
  }
  expect_failures = [var.artifact_bucket_arn]
}

run "product_names_fit_the_role_name_limit" {
  command = plan

  variables {
    products = { "build-train-deploy-github-actions" = { launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" } }
  }

  assert {
    condition     = aws_iam_role.this["build-train-deploy-github-actions"].name == "${var.name_prefix}-launch-build-train-deploy-github-actions"
    error_message = "A 33-character product name fits with a short prefix."
  }
}

run "rejects_a_product_name_that_overflows_the_role_name" {
  command = plan

  variables {
    name_prefix = "platform-mlops-catalog-x"
    products    = { "build-train-deploy-github-actions" = { launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" } }
  }

  expect_failures = [var.products]
}
