# The model-build repository of a project, seeded from a packaged zip by the seed-push function.
provider "aws" {
  region = var.region
}

module "repository" {
  source = "../.."

  name          = "${var.name}-modelbuild"
  description   = "Model build code of ${var.name}"
  kms_key_arn   = var.kms_key_arn
  provider_type = "codecommit"
  seed = {
    function_name = "${var.name}-seed-push"
    bucket        = "example-catalog-bucket"
    key           = "seed/build-train-deploy-model-build/1.0.0/0123abcd.zip"
  }
  tags = { "sagemaker:project-name" = var.name }
}
