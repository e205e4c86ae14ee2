name                   = "demo-modeldeploy"
description            = "Model deploy code of demo"
default_branch         = "release"
pull_request_approvals = 0
kms_key_arn            = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
seed = {
  function_name  = "mlops-p-abcdef123456-seed-push"
  bucket         = "catalog-bucket"
  key            = "seed/build-train-deploy-model-deploy/1.0.0/abc.zip"
  commit_message = "Seed code"
  author_name    = "SageMaker project demo"
  author_email   = "noreply@example.com"
}
tags = { "sagemaker:project-id" = "p-abcdef123456" }
