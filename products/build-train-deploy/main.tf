# The "model building, training, and deployment" template: the governed choices of the platform team for this
# template and one call of the composition module. Data scientists choose the project (project_parameters.tf) and the
# seed-code set its repositories start with (seed_code_parameters.tf: one of product.yaml's seed_code_sets).
# The module finds the seed code and the functions in the artifacts.json `mlops-templates package` writes here.

module "project" {
  source = "./modules/mlops-project"

  project_name = var.SageMakerProjectName
  project_id   = var.SageMakerProjectId
  # "" is the product's default set (the first of product.yaml's seed_code_sets).
  seed_code_set = var.SeedCodeSet == "" ? null : var.SeedCodeSet

  # Governed choices of this template.
  deploy_stages = [
    { name = "staging", instance_type = "ml.m5.large" }, # a manual approval gates prod
    { name = "prod", instance_type = "ml.m5.large" },
  ]
  codebuild_image       = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
  log_retention_in_days = 365
}
