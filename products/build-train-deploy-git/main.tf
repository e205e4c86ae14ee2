# The "model building, training, and deployment" template with existing third-party Git repositories (GitHub,
# GitHub Enterprise Server, GitLab, Bitbucket) through an AWS CodeConnections connection: the governed choices of
# the platform team and one call of the composition module. Data scientists choose the project, the connection,
# the two repositories and their branches (the shared *_parameters.tf); everything else is the module's defaults, the same as
# build-train-deploy's (staging then prod on ml.m5.large with a manual approval, one-year logs).

module "project" {
  source = "./modules/mlops-project"

  project_name = var.SageMakerProjectName
  project_id   = var.SageMakerProjectId

  source_control = local.connection_source_control # connection_parameters.tf
}
