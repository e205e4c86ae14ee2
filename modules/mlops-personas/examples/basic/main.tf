# The personas of one catalog: policies for the platform admin, data scientists and lead data scientists, two
# teams with their own roles, and the launch role of one product.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "product" {
  statement {
    sid       = "ProjectBucket"
    actions   = ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging", "s3:GetBucket*"]
    resources = ["arn:aws:s3:::sagemaker-project-p-*"]
  }
}

module "personas" {
  source = "../.."

  account_id          = data.aws_caller_identity.current.account_id
  region              = var.region
  name_prefix         = var.name_prefix
  artifact_bucket_arn = "arn:aws:s3:::${var.name_prefix}-catalog-${data.aws_caller_identity.current.account_id}"
  teams               = ["fraud", "churn"]
  products = {
    build-train-deploy = { launch_policy_json = data.aws_iam_policy_document.product.json }
  }
  create_roles = true
  persona_trust_principal_arns = {
    "platform-admin"            = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "data-scientist-fraud"      = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "data-scientist-churn"      = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "lead-data-scientist-fraud" = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    "lead-data-scientist-churn" = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
  }
  tags = var.tags
}
