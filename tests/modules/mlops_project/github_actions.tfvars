# GitHub Actions CI (the build-train-deploy-github-actions template): GitHub repositories behind a CodeConnections
# connection, seeded by git-seed with the workflows' .github/sagemaker-project.json; no CodePipeline, no CodeBuild,
# no EventBridge push rules; two roles the workflows assume through the account's GitHub OIDC provider; approvals
# reach the deploy repository through the github-dispatch function.
project_name          = "churn"
project_id            = "p-gha123456789"
seed_code_bucket_name = "mlops-catalog-123456789012"
catalog_kms_key_arn   = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
seed_code_keys = {
  model_build  = "seed/abalone-xgboost-github-actions/model-build/1.0.0/aaa.zip"
  model_deploy = "seed/abalone-xgboost-github-actions/model-deploy/1.0.0/bbb.zip"
}
git_seed_function_key        = "lambdas/git-seed/1.1.0/ggg.zip"
github_dispatch_function_key = "lambdas/github-dispatch/1.0.0/ddd.zip"
teardown_function_key        = "lambdas/project-teardown/1.1.0/ttt.zip"
source_control = {
  provider       = "codeconnections"
  connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  repositories = {
    model_build  = { full_repository_id = "ml-team/churn-modelbuild" }
    model_deploy = { full_repository_id = "ml-team/churn-modeldeploy", branch = "release" }
  }
}
ci = {
  provider = "github-actions"
  github = {
    token_secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn-github-token-AbCdEf"
    oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  }
}
deploy_stages = [
  { name = "staging" },
  { name = "prod", requires_approval = false },
]
