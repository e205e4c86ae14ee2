# The model-build project of a SageMaker project: runs the seed code's SageMaker Pipeline.
provider "aws" {
  region = var.region
}

module "codebuild_project" {
  source = "../.."

  name               = "${var.name}-modelbuild"
  description        = "Runs the SageMaker Pipeline of ${var.name}"
  service_role_arn   = var.service_role_arn
  encryption_key_arn = var.kms_key_arn
  buildspec          = "codebuild-buildspec.yml"
  timeout_in_minutes = 480
  environment_variables = {
    SAGEMAKER_PROJECT_NAME = var.name
    SAGEMAKER_PROJECT_ID   = "p-example12345"
  }
  tags = { "sagemaker:project-name" = var.name }
}
