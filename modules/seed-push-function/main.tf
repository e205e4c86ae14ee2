# The seed-push function: a project function (../project-function) allowed to read the seed code and to seed the
# project's repositories, and nothing else.

data "aws_partition" "current" {}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadSeedCode"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.code_bucket}/${var.seed_key_prefix}*"]
  }

  statement {
    sid       = "SeedRepositories"
    actions   = ["codecommit:CreateBranch", "codecommit:CreateCommit", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetDifferences", "codecommit:GetRepository"]
    resources = var.repository_arns
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
  description              = "Seed-push function ${var.name}: copies seed code from S3 into its project's new CodeCommit repositories"
  handler                  = "seed_push.handler"
  code_bucket              = var.code_bucket
  code_key                 = var.code_key
  kms_key_arn              = var.kms_key_arn
  policy_json              = data.aws_iam_policy_document.this.json
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
