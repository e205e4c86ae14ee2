# Native tests of modules/artifact-bucket: conditional resources, output wiring and every input validation.
mock_provider "aws" {
  # The real provider validates policy JSON; a mocked document must be a valid (empty) policy.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name        = "demo-project-artifacts"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "defaults_are_secure" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be on."
  }

  assert {
    condition     = !aws_s3_bucket.this.force_destroy
    error_message = "force_destroy must be off by default."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "Public access must be fully blocked."
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0
    error_message = "Access logging is off unless a log bucket is given."
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this) == 1
    error_message = "The default lifecycle rule must be created."
  }
}

run "encryption_uses_the_given_key_with_a_bucket_key" {
  command = plan

  assert {
    condition = one([
      for r in aws_s3_bucket_server_side_encryption_configuration.this.rule :
      r.bucket_key_enabled && one(r.apply_server_side_encryption_by_default).kms_master_key_id == var.kms_key_arn
    ])
    error_message = "SSE-KMS with the given key and a bucket key is required."
  }
}

run "logging_when_a_log_bucket_is_given" {
  command = plan

  variables {
    access_log_bucket_name = "platform-logs"
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "platform-logs" && aws_s3_bucket_logging.this[0].target_prefix == "s3-access-logs/"
    error_message = "Access logs must go to the given bucket under the default prefix."
  }
}

run "no_lifecycle_configuration_without_rules" {
  command = plan

  variables {
    lifecycle_rules = {}
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this) == 0
    error_message = "No lifecycle configuration when no rules are given."
  }
}

run "outputs_follow_the_resources" {
  command = apply

  assert {
    condition     = output.name == aws_s3_bucket.this.id && output.arn == aws_s3_bucket.this.arn
    error_message = "name and arn outputs must come from the bucket."
  }

  assert {
    condition     = output.kms_key_arn == var.kms_key_arn
    error_message = "kms_key_arn output must be the key in use."
  }
}

run "rejects_alias_instead_of_key_arn" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/demo"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_lifecycle_rule_that_does_nothing" {
  command = plan
  variables {
    lifecycle_rules = { empty = { prefix = "x/" } }
  }
  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_zero_days" {
  command = plan
  variables {
    lifecycle_rules = { bad = { expiration_days = 0 } }
  }
  expect_failures = [var.lifecycle_rules]
}

run "rejects_uppercase_name" {
  command = plan
  variables {
    name = "Demo-Bucket"
  }
  expect_failures = [var.name]
}

run "rejects_short_name" {
  command = plan
  variables {
    name = "ab"
  }
  expect_failures = [var.name]
}

run "rejects_adjacent_dots" {
  command = plan
  variables {
    name = "demo..bucket"
  }
  expect_failures = [var.name]
}

run "rejects_ip_address_name" {
  command = plan
  variables {
    name = "192.168.5.4"
  }
  expect_failures = [var.name]
}

run "rejects_reserved_prefix" {
  command = plan
  variables {
    name = "xn--demo-bucket"
  }
  expect_failures = [var.name]
}

run "rejects_reserved_suffix" {
  command = plan
  variables {
    name = "demo-bucket-s3alias"
  }
  expect_failures = [var.name]
}

run "rejects_policy_that_is_not_json" {
  command = plan
  variables {
    policy_documents = ["Statement: []"]
  }
  expect_failures = [var.policy_documents]
}

run "rejects_bad_read_account" {
  command = plan
  variables {
    read_account_ids = ["1234"]
  }
  expect_failures = [var.read_account_ids]
}
