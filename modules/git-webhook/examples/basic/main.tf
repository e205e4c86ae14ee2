# The push webhook of a project's two any-git repositories (an Azure DevOps one and a Gitea one).
provider "aws" {
  region = var.region
}

locals {
  account_id = "123456789012"
}

module "git_webhook" {
  source = "../.."

  account_id  = local.account_id
  region      = var.region
  name        = "${var.name}-git-webhook"
  bucket_name = "sagemaker-project-${var.name}-${local.account_id}"
  code_bucket = "example-catalog-bucket"
  code_key    = "lambdas/git-webhook/1.0.0/0123abcd.zip"
  kms_key_arn = "arn:aws:kms:${var.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
  secret_arn  = "arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:${var.name}-git-AbCdEf"
  targets = {
    model_build  = { repository_url = "https://dev.azure.com/org/project/_git/${var.name}-modelbuild", branch = "main", object_key = "sources/model_build.zip" }
    model_deploy = { repository_url = "https://gitea.example.com/ml/${var.name}-modeldeploy.git", branch = "main", object_key = "sources/model_deploy.zip" }
  }
  tags = { "sagemaker:project-name" = var.name }
}
