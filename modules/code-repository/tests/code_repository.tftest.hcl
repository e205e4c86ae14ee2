# Native tests of modules/code-repository.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      endpoint = "ec2.eu-west-1.amazonaws.com"
    }
  }
  mock_resource "aws_lambda_invocation" {
    defaults = {
      result = "{\"status\":\"created\",\"commit_id\":\"abc123\"}"
    }
  }
}

variables {
  name        = "demo-modelbuild"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "empty_repository" {
  command = plan

  assert {
    condition     = aws_codecommit_repository.this[0].repository_name == "demo-modelbuild" && aws_codecommit_repository.this[0].default_branch == "main"
    error_message = "The repository must be named as given, on main."
  }

  assert {
    condition     = length(aws_lambda_invocation.seed) == 0
    error_message = "No seed push without seed code."
  }
}

run "seeded_repository" {
  command = apply

  variables {
    seed = { function_name = "demo-seed-push", bucket = "catalog", key = "seed/x.zip" }
  }

  assert {
    condition     = jsondecode(aws_lambda_invocation.seed[0].input).seed_key == "seed/x.zip" && jsondecode(aws_lambda_invocation.seed[0].input).branch == "main"
    error_message = "The invocation must name the seed zip and the default branch."
  }

  assert {
    condition     = output.seed_result.status == "created"
    error_message = "The function's answer must be the seed_result output."
  }

  assert {
    condition     = jsondecode(output.event_pattern).detail.referenceName == ["main"] && output.source.branch_name == "main" && output.source.repository_name == "demo-modelbuild" && output.source.provider == "codecommit"
    error_message = "Event pattern and pipeline source must follow the default branch of this repository."
  }

  assert {
    condition     = jsondecode(output.event_pattern).resources == ["arn:aws:codecommit:eu-west-1:123456789012:demo-modelbuild"]
    error_message = "The event pattern must name this repository's ARN, built at plan time from partition, region, account and name."
  }
}

run "approval_rule_by_default" {
  command = plan

  assert {
    condition     = jsondecode(aws_codecommit_approval_rule_template.this[0].content).Statements[0].NumberOfApprovalsNeeded == 2 && aws_codecommit_approval_rule_template_association.this[0].repository_name == "demo-modelbuild"
    error_message = "Pull requests into the default branch need two approvals by default (four eyes besides the author's)."
  }
}

run "no_approval_rule_when_zero" {
  command = plan
  variables {
    pull_request_approvals = 0
  }
  assert {
    condition     = length(aws_codecommit_approval_rule_template.this) == 0 && length(aws_codecommit_approval_rule_template_association.this) == 0
    error_message = "0 approvals means no approval rule."
  }
}

run "rejects_too_many_approvals" {
  command = plan
  variables {
    pull_request_approvals = 11
  }
  expect_failures = [var.pull_request_approvals]
}

run "third_party_repository" {
  command = apply

  variables {
    provider_type      = "codeconnections"
    name               = null
    kms_key_arn        = null
    connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    full_repository_id = "ml-team/churn-modelbuild"
    default_branch     = "develop"
    seed               = { function_name = "demo-seed-push", bucket = "catalog", key = "seed/x.zip" }
  }

  assert {
    condition     = length(aws_codecommit_repository.this) == 0 && length(aws_codecommit_approval_rule_template.this) == 0 && length(aws_codecommit_approval_rule_template_association.this) == 0
    error_message = "An existing third-party repository creates no CodeCommit resources."
  }

  assert {
    condition = jsondecode(aws_lambda_invocation.seed[0].input).remote == {
      kind               = "codeconnections"
      connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      full_repository_id = "ml-team/churn-modelbuild"
    } && jsondecode(aws_lambda_invocation.seed[0].input).branch == "develop" && !can(jsondecode(aws_lambda_invocation.seed[0].input).repository_name)
    error_message = "The seed goes to the followed branch of the third-party repository, through the connection."
  }

  assert {
    condition     = output.event_pattern == null && output.arn == null && output.clone_url_http == null && output.name == "ml-team/churn-modelbuild"
    error_message = "A third-party repository has no CodeCommit ARN, clone URL or push event pattern; its name is its full id."
  }

  assert {
    condition     = output.source.provider == "codeconnections" && output.source.full_repository_id == "ml-team/churn-modelbuild" && output.source.branch_name == "develop" && output.source.repository_name == null
    error_message = "The pipeline source reads the third-party repository's followed branch through the connection."
  }
}

run "third_party_seed_files" {
  command = apply

  variables {
    provider_type      = "codeconnections"
    name               = null
    kms_key_arn        = null
    connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    full_repository_id = "ml-team/churn-modelbuild"
    seed = {
      function_name = "demo-seed-push"
      bucket        = "catalog"
      key           = "seed/x.zip"
      files = {
        ".github/sagemaker-project.json" = "{\"region\": \"eu-west-1\"}\n"
        "config/ci.txt"                  = "role\n"
      }
    }
  }

  assert {
    condition = jsondecode(aws_lambda_invocation.seed[0].input).files == {
      ".github/sagemaker-project.json" = "{\"region\": \"eu-west-1\"}\n"
      "config/ci.txt"                  = "role\n"
    }
    error_message = "The invocation must carry the seed's files, path to content, as given."
  }

  assert {
    condition     = jsondecode(aws_lambda_invocation.seed[0].input).seed_key == "seed/x.zip" && jsondecode(aws_lambda_invocation.seed[0].input).remote.full_repository_id == "ml-team/churn-modelbuild"
    error_message = "With files, the invocation still names the seed zip and the repository."
  }
}

run "third_party_seed_without_files_keeps_its_input" {
  command = plan

  variables {
    provider_type      = "codeconnections"
    name               = null
    kms_key_arn        = null
    connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    full_repository_id = "ml-team/churn-modelbuild"
    seed               = { function_name = "demo-seed-push", bucket = "catalog", key = "seed/x.zip", files = {} }
  }

  assert {
    condition = aws_lambda_invocation.seed[0].input == jsonencode({
      remote = {
        kind               = "codeconnections"
        connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
        full_repository_id = "ml-team/churn-modelbuild"
      }
      branch         = "main"
      seed_bucket    = "catalog"
      seed_key       = "seed/x.zip"
      commit_message = "Initial commit: seed code"
      author_name    = "sagemaker-mlops-templates"
      author_email   = "noreply@example.com"
    })
    error_message = "Without files, the invocation input must stay as it was (no files key): existing projects see no change."
  }
}

run "rejects_seed_files_for_codecommit" {
  command = plan
  variables {
    seed = {
      function_name = "demo-seed-push"
      bucket        = "catalog"
      key           = "seed/x.zip"
      files         = { ".github/sagemaker-project.json" = "{}" }
    }
  }
  expect_failures = [var.seed]
}

run "rejects_codecommit_settings_for_third_party" {
  command = plan
  variables {
    provider_type      = "codeconnections"
    connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    full_repository_id = "ml-team/churn-modelbuild"
  }
  expect_failures = [var.name]
}

run "rejects_third_party_without_connection" {
  command = plan
  variables {
    provider_type      = "codeconnections"
    name               = null
    kms_key_arn        = null
    full_repository_id = "ml-team/churn-modelbuild"
  }
  expect_failures = [var.connection_arn]
}

run "rejects_malformed_connection_arn" {
  command = plan
  variables {
    provider_type      = "codeconnections"
    name               = null
    kms_key_arn        = null
    connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:host/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    full_repository_id = "ml-team/churn-modelbuild"
  }
  expect_failures = [var.connection_arn]
}

run "rejects_repository_id_without_owner" {
  command = plan
  variables {
    provider_type      = "codeconnections"
    name               = null
    kms_key_arn        = null
    connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    full_repository_id = "churn-modelbuild"
  }
  expect_failures = [var.full_repository_id]
}

run "rejects_codecommit_without_key" {
  command = plan
  variables {
    kms_key_arn = null
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_unknown_provider" {
  command = plan
  variables {
    provider_type = "github"
  }
  expect_failures = [var.provider_type]
}

run "rejects_name_ending_in_git" {
  command = plan
  variables {
    name = "demo.git"
  }
  expect_failures = [var.name]
}

run "rejects_bad_branch" {
  command = plan
  variables {
    default_branch = "bad branch"
  }
  expect_failures = [var.default_branch]
}

run "rejects_alias_as_key" {
  command = plan
  variables {
    kms_key_arn = "alias/aws/codecommit"
  }
  expect_failures = [var.kms_key_arn]
}
