# The seed-push function of a project, allowed to seed its two repositories only.
provider "aws" {
  region = var.region
}

locals {
  account_id = "123456789012"
}

module "seed_push_function" {
  source = "../.."

  account_id  = local.account_id
  region      = var.region
  name        = "${var.name}-seed-push"
  code_bucket = "example-catalog-bucket"
  code_key    = "lambda/seed-push/1.0.0/0123abcd.zip"
  kms_key_arn = "arn:aws:kms:${var.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
  repository_arns = [
    "arn:aws:codecommit:${var.region}:${local.account_id}:${var.name}-modelbuild",
    "arn:aws:codecommit:${var.region}:${local.account_id}:${var.name}-modeldeploy",
  ]
  tags = { "sagemaker:project-name" = var.name }
}
