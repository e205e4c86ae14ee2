data "aws_partition" "current" {}

locals {
  partition      = data.aws_partition.current.partition
  log_group_name = "/aws/lambda/${var.name}"
  log_group_arn  = "arn:${local.partition}:logs:${var.region}:${var.account_id}:log-group:${local.log_group_name}"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  statement {
    sid       = "ReadSeedCode"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:${local.partition}:s3:::${var.code_bucket}/${var.seed_key_prefix}*"]
  }

  statement {
    sid       = "SeedRepositories"
    actions   = ["codecommit:CreateBranch", "codecommit:CreateCommit", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetDifferences", "codecommit:GetRepository"]
    resources = var.repository_arns
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }

  dynamic "statement" {
    for_each = var.seed_kms_key_arn == null ? [] : [1]
    content {
      sid       = "DecryptSeedCode"
      actions   = ["kms:Decrypt"]
      resources = [var.seed_kms_key_arn]
    }
  }

  statement {
    sid       = "ProjectKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  description        = "Seed-push function ${var.name}: copies seed code into its project's repositories"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "seed-push"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_116:Invoked synchronously by Terraform (aws_lambda_invocation), which sees every failure; a dead-letter queue would only hide them.
  # checkov:skip=CKV_AWS_117:The function only calls the S3 and CodeCommit public APIs; running it in a VPC would need NAT or endpoints in every project account.
  # checkov:skip=CKV_AWS_272:The code is built and content-addressed by `mlops-templates package` and read from the platform's own bucket; code signing is a platform-wide choice.
  function_name                  = var.name
  description                    = "Copies seed code from S3 into new CodeCommit repositories (sagemaker-mlops-templates)"
  role                           = aws_iam_role.this.arn
  s3_bucket                      = var.code_bucket
  s3_key                         = var.code_key
  handler                        = "seed_push.handler"
  runtime                        = "python3.12"
  architectures                  = ["arm64"]
  memory_size                    = 256
  timeout                        = var.timeout_in_seconds
  reserved_concurrent_executions = 2
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  environment {
    variables = {
      LOG_LEVEL = "INFO"
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  depends_on = [aws_iam_role_policy.this]
}
