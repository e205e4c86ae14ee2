endpoint_name      = "demo-qa"
model_package_arn  = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/demo-models/3"
execution_role_arn = "arn:aws:iam::123456789012:role/demo-sagemaker"
kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
serverless         = { memory_size_in_mb = 2048, max_concurrency = 5 }
