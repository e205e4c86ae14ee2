endpoint_name      = "demo-prod"
model_package_arn  = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/demo-models/3"
execution_role_arn = "arn:aws:iam::123456789012:role/demo-sagemaker"
kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
instance           = { instance_type = "ml.g4dn.xlarge" }
data_capture       = { destination_s3_uri = "s3://demo-artifacts/data-capture/prod" }
