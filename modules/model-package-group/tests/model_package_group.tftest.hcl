# Native tests of modules/model-package-group.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  account_id = "123456789012"
  region     = "eu-west-1"
  name       = "demo-p-abc123-models"
}

run "group_without_policy" {
  command = plan

  assert {
    condition     = aws_sagemaker_model_package_group.this.model_package_group_name == "demo-p-abc123-models"
    error_message = "The group must be named as given."
  }

  assert {
    condition     = length(aws_sagemaker_model_package_group_policy.this) == 0
    error_message = "No resource policy without read accounts."
  }
}

run "policy_for_read_accounts" {
  command = plan

  variables {
    read_account_ids = ["222222222222"]
  }

  assert {
    condition     = length(aws_sagemaker_model_package_group_policy.this) == 1
    error_message = "Read accounts need a resource policy."
  }
}

run "outputs_follow_the_group" {
  command = apply

  assert {
    condition     = output.name == aws_sagemaker_model_package_group.this.model_package_group_name && output.arn == aws_sagemaker_model_package_group.this.arn
    error_message = "Outputs must come from the group."
  }
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "models_of_demo"
  }
  expect_failures = [var.name]
}

run "rejects_bad_account" {
  command = plan
  variables {
    account_id = "1"
  }
  expect_failures = [var.account_id]
}

run "rejects_bad_read_account" {
  command = plan
  variables {
    read_account_ids = ["x"]
  }
  expect_failures = [var.read_account_ids]
}

run "rejects_bad_region" {
  command = plan
  variables {
    region = "EU"
  }
  expect_failures = [var.region]
}
