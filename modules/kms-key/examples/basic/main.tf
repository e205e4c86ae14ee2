# A project key for SageMaker artifacts and logs: data use through S3 and SageMaker, one admin role.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

module "kms_key" {
  source = "../.."

  account_id              = data.aws_caller_identity.current.account_id
  alias_name              = "${var.name}-artifacts"
  region                  = var.region
  description             = "Artifacts and logs of ${var.name}"
  deletion_window_in_days = 7
  via_services            = ["s3", "sagemaker"]
  service_principals      = ["logs.${var.region}.amazonaws.com"]
  tags                    = var.tags
}
