# The "model building, training, and deployment" template with GitHub Actions as CI: the project's two existing
# GitHub (or GitHub Enterprise Server) repositories behind an AWS CodeConnections connection get seed code whose
# workflows train, register and deploy; the project creates no CodePipeline or CodeBuild project but the roles those
# workflows assume through the account's GitHub OIDC provider (the catalog's), bound to exactly these repositories,
# their branches and the deploy stages' GitHub environments; a model approval reaches the deploy workflow as a
# repository_dispatch sent with the token of the GitHubTokenSecretArn secret. Everything else is the module's
# defaults (staging then prod on ml.m5.large, one-year logs).

module "project" {
  source = "./modules/mlops-project"

  project_name  = var.SageMakerProjectName
  project_id    = var.SageMakerProjectId
  seed_code_set = var.SeedCodeSet == "" ? null : var.SeedCodeSet # "": the default set (product.yaml)

  source_control = local.connection_source_control # connection_parameters.tf

  ci = {
    provider = "github-actions"
    github   = { token_secret_arn = var.GitHubTokenSecretArn }
  }
}
