# The teardown of a project: deleting this configuration removes what the project's pipelines created.
provider "aws" {
  region = var.region
}

locals {
  account_id = "123456789012"
  prefix     = "${var.name}-${var.project_id}"
}

module "project_teardown" {
  source = "../.."

  account_id               = local.account_id
  region                   = var.region
  project_name             = var.name
  project_id               = var.project_id
  model_package_group_name = "${local.prefix}-models"
  sagemaker_pipeline_name  = "${local.prefix}-pipeline"
  function = {
    name        = "mlops-${var.project_id}-teardown"
    code_bucket = "example-catalog-bucket"
    code_key    = "lambda/project-teardown/1.0.0/0123abcd.zip"
    kms_key_arn = "arn:aws:kms:${var.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
  }
  tags = { "sagemaker:project-name" = var.name, "sagemaker:project-id" = var.project_id }
}
