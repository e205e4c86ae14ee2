# A CodeBuild service role that may write its own logs and read one bucket.
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "codebuild" {
  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/codebuild/${var.name}:*"]
  }

  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:aws:s3:::${var.name}-artifacts/*"]
  }
}

module "role" {
  source = "../.."

  account_id         = data.aws_caller_identity.current.account_id
  name               = "${var.name}-codebuild"
  description        = "CodeBuild role of ${var.name}"
  service_principals = ["codebuild.amazonaws.com"]
  policy_documents   = { codebuild = data.aws_iam_policy_document.codebuild.json }
  tags               = { "sagemaker:project-name" = var.name }
}
