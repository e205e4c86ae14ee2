# One stage's endpoint, applied by the deploy action with the var file the build step wrote.
module "endpoint" {
  source = "./modules/sagemaker-endpoint"

  endpoint_name      = var.endpoint_name
  model_package_arn  = var.model_package_arn
  execution_role_arn = var.execution_role_arn
  kms_key_arn        = var.kms_key_arn
  instance           = var.serverless == null ? { instance_type = var.instance_type, initial_instance_count = var.instance_count } : null
  serverless         = var.serverless
  data_capture       = var.data_capture_s3_uri == null ? null : { destination_s3_uri = var.data_capture_s3_uri }
  autoscaling        = var.autoscaling
  tags               = var.tags
}
