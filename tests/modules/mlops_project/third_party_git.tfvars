# Existing GitHub/GitLab/Bitbucket repositories behind a CodeConnections connection (the build-train-deploy-git
# template): no CodeCommit, push triggers instead of EventBridge push rules, the git-seed function seeds them.
project_name          = "churn"
project_id            = "p-git123456789"
seed_code_bucket_name = "mlops-catalog-123456789012"
catalog_kms_key_arn   = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
seed_code_keys = {
  model_build  = "seed/build-train-deploy/model-build/1.0.0/aaa.zip"
  model_deploy = "seed/build-train-deploy/model-deploy/1.0.0/bbb.zip"
}
git_seed_function_key = "lambdas/git-seed/1.0.0/ggg.zip"
source_control = {
  provider       = "codeconnections"
  connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  repositories = {
    model_build  = { full_repository_id = "ml-team/churn-modelbuild" }
    model_deploy = { full_repository_id = "ml-team/platform/churn-modeldeploy", branch = "release" }
  }
}
git_webhook_function_key = "lambdas/git-webhook/1.0.0/www.zip" # present, unused: no webhook without any-git
