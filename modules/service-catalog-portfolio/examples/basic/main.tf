# The platform team's portfolio of SageMaker project templates: visible to the Studio execution role and
# to every data-scientist role named DataScience*, with a TagOption library, shared with a workload account.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

module "portfolio" {
  source = "../.."

  name          = var.name
  description   = "SageMaker project templates of the ML platform team"
  provider_name = "ML platform team"

  principal_arns = {
    studio_execution = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/SageMakerStudioExecution"
  }
  principal_arn_patterns = {
    data_scientists = "arn:aws:iam:::role/DataScience*"
  }

  tag_options = {
    team          = ["fraud", "churn"]
    "cost-center" = ["cc-100"]
  }

  share_account_ids = var.share_account_ids
  tags              = { "owner" = "ml-platform" }
}
