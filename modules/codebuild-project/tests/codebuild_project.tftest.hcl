# Native tests of modules/codebuild-project.
mock_provider "aws" {}

variables {
  name               = "demo-modelbuild"
  service_role_arn   = "arn:aws:iam::123456789012:role/demo-codebuild"
  encryption_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/codebuild/demo-modelbuild" && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "The log group must be the project's, with one year of retention."
  }

  assert {
    condition     = !one(aws_codebuild_project.this.environment).privileged_mode
    error_message = "Builds must not be privileged."
  }

  assert {
    condition     = length(aws_codebuild_project.this.vpc_config) == 0
    error_message = "No VPC unless given."
  }
}

run "variables_and_vpc" {
  command = plan

  variables {
    environment_variables     = { A = "1" }
    parameter_store_variables = { TOKEN = "/demo/token" }
    vpc_config = {
      vpc_id             = "vpc-1234"
      subnet_ids         = ["subnet-1"]
      security_group_ids = ["sg-1"]
    }
  }

  assert {
    condition     = toset([for v in one(aws_codebuild_project.this.environment).environment_variable : "${v.name}=${v.type}"]) == toset(["A=PLAINTEXT", "TOKEN=PARAMETER_STORE"])
    error_message = "Plain and Parameter Store variables must both be set."
  }

  assert {
    condition     = one(aws_codebuild_project.this.vpc_config).vpc_id == "vpc-1234"
    error_message = "The VPC must be configured."
  }
}

run "rejects_bad_compute_type" {
  command = plan
  variables {
    compute_type = "SMALL"
  }
  expect_failures = [var.compute_type]
}

run "rejects_alias_as_key" {
  command = plan
  variables {
    encryption_key_arn = "alias/aws/s3"
  }
  expect_failures = [var.encryption_key_arn]
}

run "rejects_bad_retention" {
  command = plan
  variables {
    log_retention_in_days = 10
  }
  expect_failures = [var.log_retention_in_days]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "-bad name"
  }
  expect_failures = [var.name]
}

run "rejects_long_queue" {
  command = plan
  variables {
    queued_timeout_in_minutes = 481
  }
  expect_failures = [var.queued_timeout_in_minutes]
}

run "rejects_bad_role" {
  command = plan
  variables {
    service_role_arn = "codebuild-role"
  }
  expect_failures = [var.service_role_arn]
}

run "rejects_long_timeout" {
  command = plan
  variables {
    timeout_in_minutes = 3000
  }
  expect_failures = [var.timeout_in_minutes]
}

run "rejects_vpc_without_subnets" {
  command = plan
  variables {
    vpc_config = { vpc_id = "vpc-1", subnet_ids = [], security_group_ids = ["sg-1"] }
  }
  expect_failures = [var.vpc_config]
}
