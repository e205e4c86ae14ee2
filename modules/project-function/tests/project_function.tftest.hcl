# Native tests of modules/project-function: the function, its role and log group, and the input validations
# (seed-push-function and project-teardown pass their inputs through to it).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/demo-function"
    }
  }
}

variables {
  account_id  = "123456789012"
  region      = "eu-west-1"
  name        = "demo-function"
  description = "Example function"
  handler     = "example.handler"
  code_bucket = "catalog-bucket"
  code_key    = "lambda/example/1.0.0/abc.zip"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/k\"}]}"
}

run "function_runs_the_packaged_zip" {
  command = apply # mocked: the role ARN is known after apply

  assert {
    condition     = aws_lambda_function.this.s3_bucket == "catalog-bucket" && aws_lambda_function.this.s3_key == "lambda/example/1.0.0/abc.zip" && aws_lambda_function.this.handler == "example.handler"
    error_message = "The function must run the packaged zip's handler."
  }

  assert {
    condition     = one(aws_lambda_function.this.tracing_config).mode == "Active" && aws_lambda_function.this.kms_key_arn == var.kms_key_arn && aws_lambda_function.this.reserved_concurrent_executions == 2
    error_message = "Tracing, KMS and a small reserved concurrency must be on."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/demo-function" && aws_cloudwatch_log_group.this.retention_in_days == 365 && aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "The function must log to its own KMS-encrypted log group, kept one year."
  }

  assert {
    condition     = output.role_arn == "arn:aws:iam::123456789012:role/demo-function" && aws_lambda_function.this.role == output.role_arn
    error_message = "The function must run as its own role."
  }
}

run "rejects_bad_handler" {
  command = plan
  variables {
    handler = "example"
  }
  expect_failures = [var.handler]
}

run "rejects_a_policy_that_is_not_a_document" {
  command = plan
  variables {
    policy_json = "[]"
  }
  expect_failures = [var.policy_json]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "demo function"
  }
  expect_failures = [var.name]
}

run "rejects_too_much_concurrency" {
  command = plan
  variables {
    reserved_concurrent_executions = 50
  }
  expect_failures = [var.reserved_concurrent_executions]
}

run "rejects_bad_bucket" {
  command = plan
  variables {
    code_bucket = "Catalog_Bucket"
  }
  expect_failures = [var.code_bucket]
}

run "rejects_non_zip_key" {
  command = plan
  variables {
    code_key = "lambda/example.py"
  }
  expect_failures = [var.code_key]
}

run "rejects_bad_account" {
  command = plan
  variables {
    account_id = "12"
  }
  expect_failures = [var.account_id]
}

run "rejects_bad_region" {
  command = plan
  variables {
    region = "ireland"
  }
  expect_failures = [var.region]
}

run "rejects_alias_as_key" {
  command = plan
  variables {
    kms_key_arn = "alias/x"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_bad_retention" {
  command = plan
  variables {
    log_retention_in_days = 2
  }
  expect_failures = [var.log_retention_in_days]
}

run "rejects_long_timeout" {
  command = plan
  variables {
    timeout_in_seconds = 901
  }
  expect_failures = [var.timeout_in_seconds]
}

run "secrets_are_read_and_decrypted_through_secrets_manager_only" {
  command = plan

  override_data {
    target = data.aws_partition.current
    values = {
      partition = "aws"
    }
  }

  variables {
    secret_arns = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"]
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "ReadSecrets"]) == toset(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"])
    error_message = "The function may read the given secret only."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.this.statement : { for c in s.condition : c.variable => c.values } if s.sid == "DecryptSecrets"]) == {
      "kms:ViaService"                  = tolist(["secretsmanager.eu-west-1.amazonaws.com"])
      "kms:EncryptionContext:SecretARN" = tolist(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"])
    }
    error_message = "Decryption is through Secrets Manager and for that secret only."
  }
}

run "no_secret_no_grant" {
  command = plan

  assert {
    condition     = length([for s in data.aws_iam_policy_document.this.statement : s if contains(["ReadSecrets", "DecryptSecrets"], s.sid)]) == 0
    error_message = "A function without secrets gets no Secrets Manager grant."
  }
}

run "rejects_a_secret_name" {
  command = plan
  variables {
    secret_arns = ["fraud-git"]
  }
  expect_failures = [var.secret_arns]
}
