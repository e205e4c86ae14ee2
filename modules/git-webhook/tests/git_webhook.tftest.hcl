# Native tests of modules/git-webhook.
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
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
    }
  }
  mock_resource "aws_apigatewayv2_stage" {
    defaults = {
      invoke_url = "https://abc123.execute-api.eu-west-1.amazonaws.com/"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/mlops-p-abcdef123456-git-webhook"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:mlops-p-abcdef123456-git-webhook"
    }
  }
  mock_resource "aws_lambda_invocation" {
    defaults = {
      result = "{\"status\":\"exported\",\"commit\":\"abc\",\"key\":\"sources/model_build.zip\"}"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-git-webhook"
    }
  }
}

variables {
  account_id  = "123456789012"
  region      = "eu-west-1"
  name        = "mlops-p-abcdef123456-git-webhook"
  bucket_name = "sagemaker-project-p-abcdef123456-123456789012"
  code_bucket = "catalog-bucket"
  code_key    = "lambdas/git-webhook/1.0.0/abc.zip"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"
  targets = {
    model_build  = { repository_url = "https://dev.azure.com/org/fraud/_git/modelbuild", branch = "main", object_key = "sources/model_build.zip" }
    model_deploy = { repository_url = "https://gitea.example.com/fraud/modeldeploy.git", branch = "release", object_key = "sources/model_deploy.zip" }
  }
}

run "the_route_and_the_function" {
  command = apply

  assert {
    condition     = aws_apigatewayv2_route.this.route_key == "POST /{target}" && aws_apigatewayv2_integration.this.payload_format_version == "2.0"
    error_message = "Deliveries are POSTs to /<target>, in payload format 2.0 (what the function parses)."
  }

  assert {
    condition     = aws_lambda_permission.this.principal == "apigateway.amazonaws.com" && aws_lambda_permission.this.source_arn == "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/POST/*"
    error_message = "Only this API's POST route may invoke the function."
  }

  assert {
    condition     = output.urls == { model_build = "https://abc123.execute-api.eu-west-1.amazonaws.com/model_build", model_deploy = "https://abc123.execute-api.eu-west-1.amazonaws.com/model_deploy" }
    error_message = "Each target has its webhook URL."
  }

  assert {
    condition = local.function_targets.model_deploy == {
      repository_url = "https://gitea.example.com/fraud/modeldeploy.git"
      branch         = "release"
      bucket         = "sagemaker-project-p-abcdef123456-123456789012"
      key            = "sources/model_deploy.zip"
      kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
    error_message = "The function learns its targets from TARGETS."
  }

  assert {
    condition     = { for k, i in aws_lambda_invocation.export : k => jsondecode(i.input) } == { model_build = { export = "model_build" }, model_deploy = { export = "model_deploy" } } && aws_lambda_invocation.export["model_build"].lifecycle_scope == "CREATE_ONLY"
    error_message = "Each target's branch is exported once, when the project is created."
  }

  assert {
    condition     = aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == 5 && aws_apigatewayv2_stage.this.access_log_settings[0].destination_arn != null
    error_message = "The route is throttled and its calls are logged."
  }
}

run "the_function_may_read_the_secret_and_write_the_exports_only" {
  command = plan

  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["ExportedSources"]
    error_message = "Besides its secret (granted by project-function), the webhook writes its exports, nothing else."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "ExportedSources"]) == toset([
      "arn:aws:s3:::sagemaker-project-p-abcdef123456-123456789012/sources/model_build.zip",
      "arn:aws:s3:::sagemaker-project-p-abcdef123456-123456789012/sources/model_deploy.zip",
    ])
    error_message = "The function writes the two exported zips only."
  }
}

run "rejects_credentials_in_the_url" {
  command = plan
  variables {
    targets = { model_build = { repository_url = "https://user:token@gitea.example.com/fraud/modelbuild.git", branch = "main", object_key = "sources/model_build.zip" } }
  }
  expect_failures = [var.targets]
}

run "rejects_plain_http" {
  command = plan
  variables {
    targets = { model_build = { repository_url = "http://gitea.example.com/fraud/modelbuild.git", branch = "main", object_key = "sources/model_build.zip" } }
  }
  expect_failures = [var.targets]
}

run "rejects_a_path_unsafe_target_name" {
  command = plan
  variables {
    targets = { "Model/Build" = { repository_url = "https://gitea.example.com/fraud/modelbuild.git", branch = "main", object_key = "sources/model_build.zip" } }
  }
  expect_failures = [var.targets]
}
