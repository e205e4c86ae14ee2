# A project artifact bucket encrypted with its own project key, readable by a deployment account.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
}

module "kms_key" {
  source = "../../../kms-key"

  account_id              = local.account_id
  alias_name              = "${var.name}-artifacts"
  region                  = var.region
  deletion_window_in_days = 7
  via_services            = ["s3"]
  tags                    = var.tags
}

module "bucket" {
  source = "../.."

  name          = "${var.name}-artifacts-${local.account_id}-${var.region}"
  kms_key_arn   = module.kms_key.arn
  force_destroy = var.force_destroy
  tags          = var.tags
}
