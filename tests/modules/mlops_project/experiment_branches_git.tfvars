# Experimentation branches on third-party repositories behind a CodeConnections connection: the experiments pipeline's
# push trigger builds every branch but the one the project follows (trunk here); deleted branches' pipelines are
# found by the function's schedule.
project_name                  = "churn"
project_id                    = "p-expgit123456"
seed_code_bucket_name         = "mlops-catalog-123456789012"
branch_pipelines_function_key = "lambdas/branch-pipelines/1.0.0/bbb.zip"
experiment_branches           = true
source_control = {
  provider       = "codeconnections"
  connection_arn = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  repositories = {
    model_build  = { full_repository_id = "ml-team/churn-modelbuild", branch = "trunk" }
    model_deploy = { full_repository_id = "ml-team/churn-modeldeploy" }
  }
}
