# A project's model registry group, readable by a separate deployment account.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

module "model_package_group" {
  source = "../.."

  account_id       = data.aws_caller_identity.current.account_id
  region           = var.region
  name             = "${var.name}-models"
  description      = "Models of ${var.name}"
  read_account_ids = var.read_account_ids
  tags             = { "sagemaker:project-name" = var.name }
}
