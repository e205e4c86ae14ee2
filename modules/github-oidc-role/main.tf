# A role that GitHub Actions workflows of exactly the given repositories, branches and environments assume through
# the account's GitHub OIDC provider (sts:AssumeRoleWithWebIdentity). The token's `sub` claim must equal one of the
# subjects built below (StringEquals, no wildcards) and its `aud` the audience.

locals {
  # IAM's condition keys of an OIDC provider start with its URL without https://, which is also the ARN's suffix
  # (oidc-provider/token.actions.githubusercontent.com, or a GitHub Enterprise Server host and path).
  provider_host = regex("^arn:[^:]+:iam::[0-9]{12}:oidc-provider/(.+)$", var.oidc_provider_arn)[0]

  # GitHub's default subject claims: a job on a branch (ref), or a job that references an environment (then the
  # subject names the environment, not the branch).
  subjects = sort(distinct(flatten([
    for repository in var.repositories : concat(
      [for branch in repository.branches : "repo:${repository.full_name}:ref:refs/heads/${branch}"],
      [for environment in repository.environments : "repo:${repository.full_name}:environment:${environment}"],
    )
  ])))
}

data "aws_iam_policy_document" "trust" {
  #checkov:skip=CKV_AWS_358:the sub condition's key is <provider host>:sub, computed from oidc_provider_arn (github.com or a GHES host), which checkov cannot resolve, so it finds no sub condition; the values are exact repo:<owner>/<repo>:ref:refs/heads/<branch> and :environment:<name> subjects (validated, no wildcards), evaluated by tests/authorization/cases/github_oidc_role.yaml
  statement {
    sid     = "AssumeByGitHubActions"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.provider_host}:aud"
      values   = [var.audience]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.provider_host}:sub"
      values   = local.subjects
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  path                 = var.path
  description          = var.description
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = var.policy_documents

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}
