# The "model building and training" template: the composition without deploy stages. The project has a model-build
# repository, its pipeline and the model package group it registers into; approving a model deploys nothing (a
# platform team's other template, or a data scientist, deploys from the group). Data scientists choose the project
# (project_parameters.tf) and the seed-code set (seed_code_parameters.tf: one of product.yaml's seed_code_sets; its
# model-deploy folder, if any, is left unused).

module "project" {
  source = "./modules/mlops-project"

  project_name  = var.SageMakerProjectName
  project_id    = var.SageMakerProjectId
  seed_code_set = var.SeedCodeSet == "" ? null : var.SeedCodeSet

  # Governed choices of this template.
  deploy_stages         = []
  codebuild_image       = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
  log_retention_in_days = 365
}
