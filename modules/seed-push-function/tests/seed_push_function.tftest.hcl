# Native tests of modules/seed-push-function.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  account_id      = "123456789012"
  region          = "eu-west-1"
  name            = "demo-seed-push"
  code_bucket     = "catalog-bucket"
  code_key        = "lambda/seed-push/1.0.0/abc.zip"
  kms_key_arn     = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  repository_arns = ["arn:aws:codecommit:eu-west-1:123456789012:demo-modelbuild"]
}

run "function_reads_its_code_from_s3" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.s3_bucket == "catalog-bucket" && aws_lambda_function.this.s3_key == "lambda/seed-push/1.0.0/abc.zip" && aws_lambda_function.this.handler == "seed_push.handler"
    error_message = "The function must run the packaged zip's seed_push.handler."
  }

  assert {
    condition     = one(aws_lambda_function.this.tracing_config).mode == "Active" && aws_lambda_function.this.kms_key_arn == var.kms_key_arn
    error_message = "Tracing and KMS must be on."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/demo-seed-push" && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "The function must log to its own log group, kept one year."
  }
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
    code_key = "lambda/seed_push.py"
  }
  expect_failures = [var.code_key]
}

run "rejects_no_repositories" {
  command = plan
  variables {
    repository_arns = []
  }
  expect_failures = [var.repository_arns]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "demo seed push"
  }
  expect_failures = [var.name]
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
