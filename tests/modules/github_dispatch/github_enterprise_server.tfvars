# A project whose model-deploy repository is on a GitHub Enterprise Server: the approvals of its group dispatched to
# that repository through the server's API, with a token the function alone reads.
account_id               = "123456789012"
region                   = "eu-west-1"
name                     = "mlops-p-abcdef123456-github-dispatch"
code_bucket              = "mlops-catalog-123456789012"
code_key                 = "lambdas/github-dispatch/1.0.0/abc.zip"
kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
model_package_group_name = "Churn-p-abcdef123456-models"
repositories             = ["ml-team/churn-modeldeploy"]
token_secret_arn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn-github-token-AbCdEf"
api_url                  = "https://github.example.com/api/v3"
event_type               = "model-approval"
permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
tags                     = { "sagemaker:project-id" = "p-abcdef123456" }
