# A project's bridge from the model registry to GitHub Actions: an EventBridge rule sends the approval and rejection
# events of the project's model package group to a project function (../project-function,
# scripts/mlops_templates/lambdas/github_dispatch.py), which sends a repository_dispatch to each repository with the
# token of the Secrets Manager secret; the deploy workflow (on: repository_dispatch) then deploys or rolls back.

locals {
  # The function's configuration (scripts/mlops_templates/lambdas/github_dispatch.py reads it).
  environment = {
    REPOSITORIES   = jsonencode(var.repositories)
    SECRET_ARN     = var.token_secret_arn
    EVENT_TYPE     = var.event_type
    GITHUB_API_URL = var.api_url
  }
  event_pattern = jsonencode({
    source        = ["aws.sagemaker"]
    "detail-type" = ["SageMaker Model Package State Change"]
    detail = {
      ModelPackageGroupName = [var.model_package_group_name]
      ModelApprovalStatus   = ["Approved", "Rejected"]
    }
  })
}

module "function" {
  source = "../project-function"

  account_id  = var.account_id
  region      = var.region
  name        = var.name
  description = "Sends the approvals of model package group ${var.model_package_group_name} to ${join(", ", var.repositories)} (repository_dispatch ${var.event_type})"
  handler     = "github_dispatch.handler"
  code_bucket = var.code_bucket
  code_key    = var.code_key
  kms_key_arn = var.kms_key_arn
  # The function reads only its secret (project-function's ReadSecrets/DecryptSecrets) and calls GitHub.
  policy_json = jsonencode({
    Version   = "2012-10-17"
    Statement = []
  })
  secret_arns              = [var.token_secret_arn]
  permissions_boundary_arn = var.permissions_boundary_arn
  timeout_in_seconds       = 60
  environment_variables    = local.environment
  log_retention_in_days    = var.log_retention_in_days
  tags                     = var.tags
}

resource "aws_cloudwatch_event_rule" "this" {
  name          = var.name
  description   = "Approving or rejecting a model package of ${var.model_package_group_name} tells its GitHub repositories"
  event_pattern = local.event_pattern
  tags          = var.tags
}

# EventBridge retries a failed delivery to the function for up to a day; Lambda retries a failed dispatch (GitHub
# unavailable, a token without access) twice (asynchronous invocation), and the function itself retries 5xx and 429.
resource "aws_cloudwatch_event_target" "this" {
  rule      = aws_cloudwatch_event_rule.this.name
  target_id = "github-dispatch"
  arn       = module.function.arn

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 12
  }
}

resource "aws_lambda_permission" "rule" {
  statement_id  = "Rule"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this.arn
}
