account_id  = "123456789012"
region      = "eu-west-1"
name        = "mlops-p-abcdef123456-git-webhook"
bucket_name = "sagemaker-project-p-abcdef123456-123456789012"
code_bucket = "mlops-catalog-123456789012"
code_key    = "lambdas/git-webhook/1.0.0/abc.zip"
kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"
targets = {
  model_build = { repository_url = "https://dev.azure.com/org/fraud/_git/modelbuild", branch = "main", object_key = "sources/model_build.zip" }
}
tags = { "sagemaker:project-id" = "p-abcdef123456" }
