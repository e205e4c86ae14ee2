# The personas of one catalog: policies for the platform admin, data scientists and lead data scientists, and two
# teams with their own roles.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

module "personas" {
  source = "../.."

  account_id          = data.aws_caller_identity.current.account_id
  region              = var.region
  name_prefix         = var.name_prefix
  artifact_bucket_arn = "arn:aws:s3:::${var.name_prefix}-catalog-${data.aws_caller_identity.current.account_id}"
  teams               = ["fraud", "churn"]
  create_roles        = true
  persona_trust_principal_arns = {
    "platform-admin"            = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "data-scientist-fraud"      = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "data-scientist-churn"      = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "lead-data-scientist-fraud" = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "lead-data-scientist-churn" = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
  }
  tags = var.tags
}
