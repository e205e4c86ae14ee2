# The "model building, training, and deployment" template with experimentation branches: the governed choices of
# the platform team and one call of the composition module. Data scientists choose only the project
# (project_parameters.tf). main trains, registers and deploys as in build-train-deploy; every other branch of the
# model-build repository trains as its own SageMaker pipeline (<project>-<branch>) into the experiments model package
# group, which nothing deploys; deleting the branch deletes its pipeline.

module "project" {
  source = "./modules/mlops-project"

  project_name        = var.SageMakerProjectName
  project_id          = var.SageMakerProjectId
  experiment_branches = true
}
