# Native tests of modules/kms-key: defaults, output wiring and every input validation.
mock_provider "aws" {
  # The real provider validates policy JSON; a mocked document must be a valid (empty) policy.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  account_id = "123456789012"
  alias_name = "demo-project"
  region     = "eu-west-1"
}

run "defaults_rotate_and_keep_30_days" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.rotation_period_in_days == 365
    error_message = "Rotation must be on, yearly by default."
  }

  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The default deletion window must be 30 days."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/demo-project" && output.alias_name == "alias/demo-project"
    error_message = "The alias must get the alias/ prefix and be the alias_name output."
  }

  assert {
    condition     = !aws_kms_key.this.multi_region && aws_kms_key.this.key_usage == "ENCRYPT_DECRYPT"
    error_message = "The key must be a single-region symmetric encryption key."
  }
}

run "tags_reach_the_key" {
  command = plan

  variables {
    tags = { "sagemaker:project-name" = "demo-project", "sagemaker:project-id" = "p-abc123" }
  }

  assert {
    condition     = aws_kms_key.this.tags["sagemaker:project-id"] == "p-abc123"
    error_message = "Caller tags must be set on the key."
  }
}

run "outputs_follow_the_resources" {
  command = apply

  assert {
    condition     = output.arn == aws_kms_key.this.arn && output.id == aws_kms_key.this.key_id
    error_message = "arn and id outputs must come from the key."
  }

  assert {
    condition     = aws_kms_alias.this.target_key_id == aws_kms_key.this.key_id
    error_message = "The alias must point at the key."
  }
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    account_id = "12345"
  }
  expect_failures = [var.account_id]
}

run "rejects_admin_arn_that_is_not_a_role" {
  command = plan
  variables {
    admin_role_arns = ["arn:aws:iam::123456789012:user/alice"]
  }
  expect_failures = [var.admin_role_arns]
}

run "rejects_alias_with_prefix" {
  command = plan
  variables {
    alias_name = "aws/s3"
  }
  expect_failures = [var.alias_name]
}

run "rejects_alias_with_bad_characters" {
  command = plan
  variables {
    alias_name = "demo project"
  }
  expect_failures = [var.alias_name]
}

run "rejects_deletion_window_too_short" {
  command = plan
  variables {
    deletion_window_in_days = 6
  }
  expect_failures = [var.deletion_window_in_days]
}

run "rejects_deletion_window_too_long" {
  command = plan
  variables {
    deletion_window_in_days = 31
  }
  expect_failures = [var.deletion_window_in_days]
}

run "accepts_deletion_window_bounds" {
  command = plan
  variables {
    deletion_window_in_days = 7
  }
  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 7
    error_message = "7 days is the shortest allowed window."
  }
}

run "rejects_bad_other_account_id" {
  command = plan
  variables {
    other_account_ids = ["22222222222a"]
  }
  expect_failures = [var.other_account_ids]
}

run "rejects_bad_region" {
  command = plan
  variables {
    region = "Europe"
  }
  expect_failures = [var.region]
}

run "rejects_rotation_period_out_of_range" {
  command = plan
  variables {
    rotation_period_in_days = 2561
  }
  expect_failures = [var.rotation_period_in_days]
}

run "rejects_bad_service_principal" {
  command = plan
  variables {
    service_principals = ["logs"]
  }
  expect_failures = [var.service_principals]
}

run "rejects_user_arn_that_is_not_a_role" {
  command = plan
  variables {
    user_role_arns = ["arn:aws:iam::123456789012:root"]
  }
  expect_failures = [var.user_role_arns]
}

run "rejects_via_service_given_as_endpoint" {
  command = plan
  variables {
    via_services = ["s3.eu-west-1.amazonaws.com"]
  }
  expect_failures = [var.via_services]
}
