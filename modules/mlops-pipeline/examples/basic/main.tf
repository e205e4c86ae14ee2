# A model-deploy pipeline: source, build the per-stage configs, deploy to staging (tested, approved), then prod.
provider "aws" {
  region = var.region
}

module "pipeline" {
  source = "../.."

  name                 = "${var.name}-modeldeploy"
  role_arn             = "arn:aws:iam::123456789012:role/${var.name}-codepipeline"
  artifact_bucket_name = "${var.name}-artifacts"
  kms_key_arn          = "arn:aws:kms:${var.region}:123456789012:key/11111111-2222-3333-4444-555555555555"
  source_repository = {
    repository_name = "${var.name}-modeldeploy"
    branch_name     = "main"
  }
  build = { project_name = "${var.name}-deploy-config" }
  stages = [
    { name = "staging", deploy_project_name = "${var.name}-deploy", test_project_name = "${var.name}-test" },
    { name = "prod", deploy_project_name = "${var.name}-deploy", test_project_name = "${var.name}-test" },
  ]
  tags = { "sagemaker:project-name" = var.name }
}
