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

run "the_function_may_seed_the_repositories_only" {
  command = plan

  override_data {
    target = data.aws_partition.current
    values = {
      partition = "aws"
    }
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["ReadSeedCode", "SeedRepositories"]
    error_message = "Without a catalog key, the function may read the seed code and seed the repositories, nothing else."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "ReadSeedCode"]) == toset(["arn:aws:s3:::catalog-bucket/seed/*"])
    error_message = "The function may read the seed zips only."
  }
}

run "a_catalog_key_is_decryptable" {
  command = plan

  variables {
    seed_kms_key_arn = "arn:aws:kms:eu-west-1:999999999999:key/catalog"
  }

  assert {
    condition     = length(data.aws_iam_policy_document.this.statement) == 3
    error_message = "With a catalog key, the function may decrypt the seed code with it."
  }
}

run "rejects_no_repositories" {
  command = plan
  variables {
    repository_arns = []
  }
  expect_failures = [var.repository_arns]
}
