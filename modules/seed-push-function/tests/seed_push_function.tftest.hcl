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

run "a_git_function_may_use_its_connections_only" {
  command = plan

  override_data {
    target = data.aws_partition.current
    values = {
      partition = "aws"
    }
  }

  variables {
    kind            = "git"
    code_key        = "lambdas/git-seed/1.0.0/abc.zip"
    repository_arns = []
    connection_arns = ["arn:aws:codestar-connections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"]
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["ReadSeedCode", "PushThroughConnections"]
    error_message = "A git function may read the seed code and use its connections, and has no CodeCommit grant."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "PushThroughConnections"]) == toset([
      "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
      "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
    ])
    error_message = "The connection is granted under both of its ARN spellings, and no other."
  }

  assert {
    condition     = output.handler == "git_seed.handler"
    error_message = "A git function runs the git-seed handler."
  }
}

run "rejects_git_without_connections" {
  command = plan
  variables {
    kind            = "git"
    repository_arns = []
  }
  expect_failures = [var.connection_arns]
}

run "rejects_connections_for_codecommit" {
  command = plan
  variables {
    connection_arns = ["arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"]
  }
  expect_failures = [var.connection_arns]
}
