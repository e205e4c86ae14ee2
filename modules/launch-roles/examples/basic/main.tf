# The launch role of one product, the permissions boundary of the roles it creates, and the guard that makes the
# boundary compulsory.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "boundary" {
  statement {
    sid       = "ProjectJobs"
    actions   = ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob"]
    resources = ["arn:aws:sagemaker:${var.region}:${data.aws_caller_identity.current.account_id}:training-job/*"]
  }
}

data "aws_iam_policy_document" "product" {
  statement {
    sid       = "ProjectBucket"
    actions   = ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging", "s3:GetBucket*"]
    resources = ["arn:aws:s3:::sagemaker-project-p-*"]
  }
}

module "launch_roles" {
  source = "../.."

  account_id          = data.aws_caller_identity.current.account_id
  region              = var.region
  name_prefix         = var.name_prefix
  artifact_bucket_arn = "arn:aws:s3:::${var.name_prefix}-catalog-${data.aws_caller_identity.current.account_id}"
  permissions_boundary = {
    name        = "${var.name_prefix}-project-boundary"
    path        = "/mlops-templates/"
    policy_json = data.aws_iam_policy_document.boundary.json
  }
  products = {
    build-train-deploy = { launch_policy_json = data.aws_iam_policy_document.product.json }
  }
  tags = var.tags
}
