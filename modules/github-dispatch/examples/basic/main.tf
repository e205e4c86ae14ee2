# The approvals of a project's model package group sent to its GitHub model-deploy repository.
provider "aws" {
  region = var.region
}

locals {
  account_id = "123456789012"
  project_id = "p-abcdef123456"
}

module "github_dispatch" {
  source = "../.."

  account_id               = local.account_id
  region                   = var.region
  name                     = "mlops-${local.project_id}-github-dispatch"
  code_bucket              = "example-catalog-bucket"
  code_key                 = "lambdas/github-dispatch/1.0.0/0123abcd.zip"
  kms_key_arn              = "arn:aws:kms:${var.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
  model_package_group_name = "${var.name}-${local.project_id}-models"
  repositories             = ["example-org/${var.name}-modeldeploy"]
  token_secret_arn         = "arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:github-dispatch-token-AbCdEf"
  tags                     = { "sagemaker:project-name" = var.name }
}
