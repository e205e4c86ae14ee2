# The experimentation branches of a project's CodeCommit model-build repository.
provider "aws" {
  region = var.region
}

locals {
  account_id = "123456789012"
  project_id = "p-abcdef123456"
}

module "branch_pipelines" {
  source = "../.."

  account_id              = local.account_id
  region                  = var.region
  name                    = "mlops-${local.project_id}-branch-pipelines"
  code_bucket             = "example-catalog-bucket"
  code_key                = "lambdas/branch-pipelines/1.0.0/0123abcd.zip"
  kms_key_arn             = "arn:aws:kms:${var.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
  project_name            = var.name
  project_id              = local.project_id
  codepipeline_name       = "${var.name}-${local.project_id}-experiments"
  experiment_role_arn     = "arn:aws:iam::${local.account_id}:role/mlops-${local.project_id}-exp-sagemaker"
  reserved_pipeline_names = ["${var.name}-${local.project_id}-pipeline"]
  repository              = { kind = "codecommit", name = "sagemaker-${var.name}-${local.project_id}-modelbuild" }
  tags                    = { "sagemaker:project-name" = var.name }
}
