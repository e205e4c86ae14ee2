account_id               = "123456789012"
region                   = "eu-west-1"
project_name             = "fraud-detector"
project_id               = "p-abcdef123456"
model_package_group_name = "fraud-detector-p-abcdef123456-models"
sagemaker_pipeline_name  = "fraud-detector-p-abcdef123456-pipeline"
destroy_after            = { artifact_bucket = "sagemaker-project-p-abcdef123456-123456789012" }
permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
function = {
  name        = "mlops-p-abcdef123456-teardown"
  code_bucket = "mlops-catalog-123456789012"
  code_key    = "lambda/project-teardown/1.0.0/ddd.zip"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}
