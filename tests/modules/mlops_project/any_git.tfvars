# Existing repositories on any git server (Azure DevOps, Gitea) with the credentials of a Secrets Manager secret (the
# build-train-deploy-anygit template): the git-seed function seeds them with the secret, their push webhook exports
# the branches to the bucket, and the objects' creation starts the S3-sourced pipelines.
project_name             = "churn"
project_id               = "p-any123456789"
seed_code_bucket_name    = "mlops-catalog-123456789012"
catalog_kms_key_arn      = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
git_seed_function_key    = "lambdas/git-seed/1.0.0/ggg.zip"
git_webhook_function_key = "lambdas/git-webhook/1.0.0/www.zip"
seed_code_keys = {
  model_build  = "seed/build-train-deploy/model-build/1.0.0/aaa.zip"
  model_deploy = "seed/build-train-deploy/model-deploy/1.0.0/bbb.zip"
}
source_control = {
  provider   = "anygit"
  secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn-git-AbCdEf"
  repositories = {
    model_build  = { repository_url = "https://dev.azure.com/contoso/churn/_git/modelbuild" }
    model_deploy = { repository_url = "https://gitea.example.com/ml/churn-modeldeploy.git", branch = "release" }
  }
}
