# Native tests of modules/github-oidc-role: the trust policy's subjects and conditions, policies, outputs and every
# validation. The trust document is rendered by the mocked data source, so the subjects and the condition keys are
# asserted on the module's locals (outputs) and on the data source's arguments.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name              = "churn-github-actions"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  repositories = [
    { full_name = "ml-team/churn-modelbuild", branches = ["main"] },
    { full_name = "ml-team/churn-modeldeploy", branches = ["main", "release/v1"], environments = ["prod"] },
  ]
}

run "exact_subjects_and_conditions" {
  command = plan

  assert {
    condition = output.subjects == tolist([
      "repo:ml-team/churn-modelbuild:ref:refs/heads/main",
      "repo:ml-team/churn-modeldeploy:environment:prod",
      "repo:ml-team/churn-modeldeploy:ref:refs/heads/main",
      "repo:ml-team/churn-modeldeploy:ref:refs/heads/release/v1",
    ])
    error_message = "The subjects must be exactly each repository's branches and environments."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.trust.statement[0].actions == toset(["sts:AssumeRoleWithWebIdentity"])
      && one(data.aws_iam_policy_document.trust.statement[0].principals).type == "Federated"
      && one(data.aws_iam_policy_document.trust.statement[0].principals).identifiers == toset([var.oidc_provider_arn])
    )
    error_message = "Only the OIDC provider may assume the role, only with AssumeRoleWithWebIdentity."
  }

  assert {
    condition = jsonencode({
      for c in data.aws_iam_policy_document.trust.statement[0].condition : c.variable => "${c.test} ${join(",", c.values)}"
      }) == jsonencode({
      "token.actions.githubusercontent.com:aud" = "StringEquals sts.amazonaws.com"
      "token.actions.githubusercontent.com:sub" = "StringEquals ${join(",", output.subjects)}"
    })
    error_message = "aud and sub must be compared with StringEquals under the provider's host."
  }

  assert {
    condition     = aws_iam_role.this.name == "churn-github-actions" && aws_iam_role.this.max_session_duration == 3600 && length(aws_iam_role_policy.this) == 0
    error_message = "Name, default session duration, no policies unless given."
  }
}

run "enterprise_server_provider_and_policies" {
  command = plan

  variables {
    oidc_provider_arn        = "arn:aws:iam::123456789012:oidc-provider/github.example.com/_services/token"
    audience                 = "https://github.com/ml-team"
    repositories             = [{ full_name = "ml-team/churn", environments = ["staging"] }]
    policy_documents         = { deploy = "{\"Statement\":[]}" }
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
    max_session_duration     = 7200
    tags                     = { "sagemaker:project-name" = "churn" }
  }

  assert {
    condition = toset([for c in data.aws_iam_policy_document.trust.statement[0].condition : c.variable]) == toset([
      "github.example.com/_services/token:aud", "github.example.com/_services/token:sub",
    ])
    error_message = "The condition keys start with the provider's URL without https://."
  }

  assert {
    condition     = output.subjects == tolist(["repo:ml-team/churn:environment:staging"])
    error_message = "An environment alone gives only its subject."
  }

  assert {
    condition = (
      aws_iam_role_policy.this["deploy"].name == "deploy"
      && aws_iam_role.this.permissions_boundary == var.permissions_boundary_arn
      && aws_iam_role.this.max_session_duration == 7200
      && aws_iam_role.this.tags["sagemaker:project-name"] == "churn"
    )
    error_message = "Policies, boundary, session duration and tags must be passed on."
  }
}

run "rejects_no_repository" {
  command = plan
  variables {
    repositories = []
  }
  expect_failures = [var.repositories]
}

run "rejects_a_repository_without_branch_or_environment" {
  command = plan
  variables {
    repositories = [{ full_name = "ml-team/churn" }]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_wildcard_repository" {
  command = plan
  variables {
    repositories = [{ full_name = "ml-team/*", branches = ["main"] }]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_url_as_repository" {
  command = plan
  variables {
    repositories = [{ full_name = "https://github.com/ml-team/churn", branches = ["main"] }]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_wildcard_branch" {
  command = plan
  variables {
    repositories = [{ full_name = "ml-team/churn", branches = ["release/*"] }]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_full_ref_as_branch" {
  command = plan
  variables {
    repositories = [{ full_name = "ml-team/churn", branches = ["refs/heads/../main"] }]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_wildcard_environment" {
  command = plan
  variables {
    repositories = [{ full_name = "ml-team/churn", environments = ["prod*"] }]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_role_arn_as_provider" {
  command = plan
  variables {
    oidc_provider_arn = "arn:aws:iam::123456789012:role/github"
  }
  expect_failures = [var.oidc_provider_arn]
}

run "rejects_a_wildcard_audience" {
  command = plan
  variables {
    audience = "*"
  }
  expect_failures = [var.audience]
}

run "rejects_short_session" {
  command = plan
  variables {
    max_session_duration = 60
  }
  expect_failures = [var.max_session_duration]
}

run "rejects_long_name" {
  command = plan
  variables {
    name = "a-role-name-that-is-far-too-long-for-iam-because-it-has-more-than-64-chars"
  }
  expect_failures = [var.name]
}

run "rejects_bad_path" {
  command = plan
  variables {
    path = "mlops"
  }
  expect_failures = [var.path]
}

run "rejects_bad_boundary" {
  command = plan
  variables {
    permissions_boundary_arn = "mlops-project-boundary"
  }
  expect_failures = [var.permissions_boundary_arn]
}

run "rejects_bad_policy_document" {
  command = plan
  variables {
    policy_documents = { deploy = "not json" }
  }
  expect_failures = [var.policy_documents]
}

run "rejects_bad_policy_name" {
  command = plan
  variables {
    policy_documents = { "de ploy" = "{\"Statement\":[]}" }
  }
  expect_failures = [var.policy_documents]
}
