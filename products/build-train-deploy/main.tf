# The "model building, training, and deployment" template: the governed choices of the platform team for this
# template and one call of the composition module. Data scientists choose only the project (variables.tf).

locals {
  # Written by `mlops-templates package` into the artifact: where the seed code and the seed-push and teardown
  # functions are.
  # Absent in the repository (plan tests), where the repositories start empty.
  artifacts = jsondecode(fileexists("${path.module}/artifacts.json") ? file("${path.module}/artifacts.json") : "{}")
}

module "project" {
  source = "./modules/mlops-project"

  project_name = var.SageMakerProjectName
  project_id   = var.SageMakerProjectId

  # Governed choices of this template.
  deploy_stages = [
    { name = "staging", instance_type = "ml.m5.large" }, # a manual approval gates prod
    { name = "prod", instance_type = "ml.m5.large" },
  ]
  codebuild_image       = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
  log_retention_in_days = 365

  seed_code_keys         = try(local.artifacts.seed_code_keys, {})
  seed_push_function_key = try(local.artifacts.seed_push_function_key, null)
  teardown_function_key  = try(local.artifacts.teardown_function_key, null)
}
