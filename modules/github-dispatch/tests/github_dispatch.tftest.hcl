# Native tests of modules/github-dispatch (its policy is evaluated by tests/authorization, with the real provider).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:mlops-p-abcdef123456-github-dispatch"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-github-dispatch"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/mlops-p-abcdef123456-github-dispatch"
    }
  }
}

variables {
  account_id               = "123456789012"
  region                   = "eu-west-1"
  name                     = "mlops-p-abcdef123456-github-dispatch"
  code_bucket              = "mlops-catalog-123456789012"
  code_key                 = "lambdas/github-dispatch/1.0.0/abc.zip"
  kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  model_package_group_name = "churn-p-abcdef123456-models"
  repositories             = ["example-org/churn-modeldeploy"]
  token_secret_arn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:github-dispatch-token-AbCdEf"
}

run "approvals_of_the_group_reach_the_function" {
  command = plan

  assert {
    condition = jsondecode(output.event_pattern) == {
      source        = ["aws.sagemaker"]
      "detail-type" = ["SageMaker Model Package State Change"]
      detail        = { ModelPackageGroupName = ["churn-p-abcdef123456-models"], ModelApprovalStatus = ["Approved", "Rejected"] }
    }
    error_message = "The rule matches the group's approvals and rejections only."
  }

  assert {
    condition     = aws_lambda_permission.rule.principal == "events.amazonaws.com" && aws_lambda_permission.rule.action == "lambda:InvokeFunction"
    error_message = "The rule may invoke the function."
  }

  assert {
    condition     = jsondecode(output.environment.REPOSITORIES) == ["example-org/churn-modeldeploy"] && output.environment.EVENT_TYPE == "model-approval" && output.environment.GITHUB_API_URL == "https://api.github.com"
    error_message = "The function is configured with the repositories."
  }
}

run "github_enterprise_server" {
  command = plan

  variables {
    api_url = "https://github.example.com/api/v3"
  }

  assert {
    condition     = output.environment.GITHUB_API_URL == "https://github.example.com/api/v3"
    error_message = "A GitHub Enterprise Server API URL reaches the function."
  }
}

run "a_repository_url_is_refused" {
  command = plan

  variables {
    repositories = ["https://github.com/example-org/churn-modeldeploy"]
  }

  expect_failures = [var.repositories]
}

run "an_http_api_url_is_refused" {
  command = plan

  variables {
    api_url = "http://github.example.com/api/v3"
  }

  expect_failures = [var.api_url]
}

run "a_token_that_is_not_a_secret_arn_is_refused" {
  command = plan

  variables {
    token_secret_arn = "ghp_0123456789abcdef"
  }

  expect_failures = [var.token_secret_arn]
}
