# A staging endpoint for an approved model package, with data capture and autoscaling.
provider "aws" {
  region = var.region
}

module "endpoint" {
  source = "../.."

  endpoint_name      = "${var.name}-staging"
  model_package_arn  = "arn:aws:sagemaker:${var.region}:123456789012:model-package/${var.name}-models/3"
  execution_role_arn = "arn:aws:iam::123456789012:role/${var.name}-sagemaker"
  kms_key_arn        = "arn:aws:kms:${var.region}:123456789012:key/11111111-2222-3333-4444-555555555555"
  instance           = { instance_type = "ml.m5.large", initial_instance_count = 1 }
  data_capture       = { destination_s3_uri = "s3://${var.name}-artifacts/data-capture/staging" }
  autoscaling        = { min_capacity = 1, max_capacity = 4, target_invocations_per_instance = 100 }
  tags               = { "sagemaker:project-name" = var.name }
}
