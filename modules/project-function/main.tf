# A Lambda function of a project: its code from the platform's bucket, its own role (the caller's statements plus
# its log group, tracing, the project key and the secrets it reads), a KMS-encrypted log group, tracing on. Used by
# seed-push-function, git-webhook and project-teardown, which only add what their function may do.

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

data "aws_iam_policy_document" "this" {
  source_policy_documents = [var.policy_json]

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }

  statement {
    sid       = "ProjectKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
    resources = [var.kms_key_arn]
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.secret_arns
    }
  }

  # A secret under a customer managed key: decrypt it (and nothing else) through Secrets Manager, whose encryption
  # context names the secret; no lookup of the key needed.
  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptSecrets"
      actions   = ["kms:Decrypt"]
      resources = ["arn:${local.partition}:kms:${var.region}:${var.account_id}:key/*"]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:SecretARN"
        values   = var.secret_arns
      }
    }
  }
}

module "role" {
  source = "../iam-service-role"

  account_id               = var.account_id
  name                     = var.name
  description              = var.description
  service_principals       = ["lambda.amazonaws.com"]
  policy_documents         = { function = data.aws_iam_policy_document.this.json }
  permissions_boundary_arn = var.permissions_boundary_arn
  tags                     = var.tags
}

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_116:Invoked synchronously by Terraform (aws_lambda_invocation), which sees every failure; a dead-letter queue would only hide them.
  # checkov:skip=CKV_AWS_117:The function only calls AWS public APIs; running it in a VPC would need NAT or endpoints in every project account.
  # checkov:skip=CKV_AWS_272:The code is built and content-addressed by `mlops-templates package` and read from the platform's own bucket; code signing is a platform-wide choice.
  function_name                  = var.name
  description                    = var.description
  role                           = module.role.arn # available once its policy is attached
  s3_bucket                      = var.code_bucket
  s3_key                         = var.code_key
  handler                        = var.handler
  runtime                        = "python3.12"
  architectures                  = ["arm64"]
  memory_size                    = 256
  timeout                        = var.timeout_in_seconds
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  environment {
    variables = merge(var.environment_variables, {
      LOG_LEVEL = "INFO"
    })
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }
}
