# The seed-push function: a project function (../project-function) allowed to read the seed code and to seed the
# project's repositories, and nothing else: its CodeCommit repositories (kind codecommit), or the existing
# third-party repositories behind its CodeConnections connections (kind git).

data "aws_partition" "current" {}

locals {
  handler = var.kind == "codecommit" ? "seed_push.handler" : "git_seed.handler"

  # A connection ARN is spelled with either service prefix (CodeStar Connections was renamed CodeConnections in
  # 2024); IAM authorizes each action name against the ARN as the caller names it, so both pairs are granted.
  connection_arns = distinct(flatten([for arn in var.connection_arns : [
    replace(arn, ":codestar-connections:", ":codeconnections:"),
    replace(arn, ":codeconnections:", ":codestar-connections:"),
  ]]))
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadSeedCode"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.code_bucket}/${var.seed_key_prefix}*"]
  }

  dynamic "statement" {
    for_each = var.kind == "codecommit" ? [1] : []
    content {
      sid       = "SeedRepositories"
      actions   = ["codecommit:CreateBranch", "codecommit:CreateCommit", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetDifferences", "codecommit:GetRepository"]
      resources = var.repository_arns
    }
  }

  # Third-party repositories (kind git): through the git-http endpoint of CodeConnections (git push over HTTPS,
  # signed with the function's credentials), or with the credentials of an any-git secret (secret_arns, granted by
  # ../project-function).
  dynamic "statement" {
    for_each = length(var.connection_arns) > 0 ? [1] : []
    content {
      sid       = "PushThroughConnections"
      actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
      resources = local.connection_arns
    }
  }

  dynamic "statement" {
    for_each = var.seed_kms_key_arn == null ? [] : [1]
    content {
      sid       = "DecryptSeedCode"
      actions   = ["kms:Decrypt"]
      resources = [var.seed_kms_key_arn]
    }
  }
}

module "function" {
  source = "../project-function"

  account_id               = var.account_id
  region                   = var.region
  name                     = var.name
  description              = "Seed-push function ${var.name}: copies seed code from S3 into its project's ${var.kind == "codecommit" ? "new CodeCommit" : "third-party git"} repositories"
  handler                  = local.handler
  code_bucket              = var.code_bucket
  code_key                 = var.code_key
  kms_key_arn              = var.kms_key_arn
  policy_json              = data.aws_iam_policy_document.this.json
  secret_arns              = var.secret_arns
  permissions_boundary_arn = var.permissions_boundary_arn
  timeout_in_seconds       = var.timeout_in_seconds
  log_retention_in_days    = var.log_retention_in_days
  tags                     = var.tags
}

# Addresses before the function moved into ../project-function.
moved {
  from = aws_cloudwatch_log_group.this
  to   = module.function.aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.this
  to   = module.function.module.role.aws_iam_role.this
}

moved {
  from = aws_lambda_function.this
  to   = module.function.aws_lambda_function.this
}
