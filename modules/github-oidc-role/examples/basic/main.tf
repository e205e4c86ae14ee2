# The role a project's GitHub Actions workflows assume: main of the model-build repository, main and the prod
# environment of the model-deploy repository, through the account's GitHub OIDC provider (the catalog's, created
# with github_oidc.enabled; a product reads its ARN from the SSM parameter /mlops-templates/github-oidc-provider-arn).
provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "DescribeModelPackages"
    actions   = ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"]
    resources = ["arn:${data.aws_partition.current.partition}:sagemaker:${var.region}:${data.aws_caller_identity.current.account_id}:model-package/${var.name}-models/*"]
  }
}

module "role" {
  source = "../.."

  name              = "${var.name}-github-actions"
  description       = "GitHub Actions role of ${var.name}"
  oidc_provider_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com"
  repositories = [
    { full_name = "${var.owner}/${var.name}-modelbuild", branches = ["main"] },
    { full_name = "${var.owner}/${var.name}-modeldeploy", branches = ["main"], environments = ["prod"] },
  ]
  policy_documents = { deploy = data.aws_iam_policy_document.deploy.json }
  tags             = { "sagemaker:project-name" = var.name }
}
