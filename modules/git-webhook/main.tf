# The webhook of any-git repositories: an HTTP API (API Gateway) route POST /{target} calls a project function
# (../project-function) that verifies the git server's signature or token, exports the pushed branch's head as a zip
# into the project bucket (what the pipeline's S3 source reads) and does nothing else.
#
# Why API Gateway and not a Lambda function URL: since October 2025 a public function URL also needs
# lambda:InvokeFunction granted to everyone, scoped to URL calls only by the lambda:InvokedViaFunctionUrl condition,
# which hashicorp/aws 5.x cannot express; an unscoped grant would let any AWS account invoke the function directly.
# The API's permission is scoped to this API's ARN.

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  # What the function reads from its environment (scripts/mlops_templates/lambdas/git_webhook.py).
  function_targets = { for name, t in var.targets : name => {
    repository_url = t.repository_url
    branch         = t.branch
    bucket         = var.bucket_name
    key            = t.object_key
    kms_key_arn    = var.kms_key_arn
  } }
}

data "aws_iam_policy_document" "this" {
  # Read (the idempotency check) and write the exported zips, nothing else of the bucket.
  statement {
    sid       = "ExportedSources"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [for t in values(var.targets) : "arn:${local.partition}:s3:::${var.bucket_name}/${t.object_key}"]
  }
}

module "function" {
  source = "../project-function"

  account_id               = var.account_id
  region                   = var.region
  name                     = var.name
  description              = "Git webhook ${var.name}: exports pushed branches of its project's repositories to S3 for the pipelines"
  handler                  = "git_webhook.handler"
  code_bucket              = var.code_bucket
  code_key                 = var.code_key
  kms_key_arn              = var.kms_key_arn
  policy_json              = data.aws_iam_policy_document.this.json
  secret_arns              = [var.secret_arn] # the git credentials and the webhook secret
  permissions_boundary_arn = var.permissions_boundary_arn
  timeout_in_seconds       = 120
  environment_variables = {
    SECRET_ARN = var.secret_arn
    TARGETS    = jsonencode(local.function_targets)
  }
  log_retention_in_days = var.log_retention_in_days
  tags                  = var.tags
}

resource "aws_apigatewayv2_api" "this" {
  name                         = var.name
  description                  = "Push webhooks of the git repositories of ${var.name}: POST /<target>"
  protocol_type                = "HTTP"
  disable_execute_api_endpoint = false
  tags                         = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function.arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 29000
}

resource "aws_apigatewayv2_route" "this" {
  # checkov:skip=CKV_AWS_309:A git server cannot sign AWS requests; the function authenticates every delivery with the provider's HMAC signature or token header (the secret's webhook_secret) before it reads anything.
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "POST /{target}"
  target             = "integrations/${aws_apigatewayv2_integration.this.id}"
  authorization_type = "NONE"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      time      = "$context.requestTime"
      route     = "$context.routeKey"
      path      = "$context.path"
      status    = "$context.status"
      error     = "$context.integrationErrorMessage"
    })
  }
}

# Only this API's webhook route may invoke the function.
resource "aws_lambda_permission" "this" {
  statement_id  = "WebhookRoute"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/POST/*"
}

# The first export of each target, when the project is created (a direct invocation: only principals allowed to
# invoke the function, such as the launch role, can send it; the API's deliveries always carry requestContext).
resource "aws_lambda_invocation" "export" {
  for_each = var.export_on_create ? var.targets : {}

  function_name   = module.function.function_name
  input           = jsonencode({ export = each.key })
  lifecycle_scope = "CREATE_ONLY"
  triggers = {
    after = var.export_after
  }
}
