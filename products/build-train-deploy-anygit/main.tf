# The "model building, training, and deployment" template on existing repositories of any git server reachable over
# HTTPS (Azure DevOps, Gitea, Forgejo, self-hosted GitLab or Bitbucket Server without a CodeConnections connection):
# the governed choices of the platform team and one call of the composition module. Data scientists choose the
# project, the credentials secret, the two repositories and their branches (variables.tf and the shared *_parameters.tf); the stages, instance
# types and log retention are the module's defaults, the same as build-train-deploy's.

module "project" {
  source = "./modules/mlops-project"

  project_name = var.SageMakerProjectName
  project_id   = var.SageMakerProjectId

  source_control = {
    provider   = "anygit"
    secret_arn = var.GitCredentialsSecretArn
    repositories = {
      model_build  = { repository_url = var.ModelBuildCodeRepositoryUrl, branch = var.ModelBuildCodeRepositoryBranch }
      model_deploy = { repository_url = var.ModelDeployCodeRepositoryUrl, branch = var.ModelDeployCodeRepositoryBranch }
    }
  }
}
