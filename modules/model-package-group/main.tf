data "aws_partition" "current" {}

locals {
  group_arn = "arn:${data.aws_partition.current.partition}:sagemaker:${var.region}:${var.account_id}:model-package-group/${lower(var.name)}"
}

resource "aws_sagemaker_model_package_group" "this" {
  model_package_group_name        = var.name
  model_package_group_description = var.description
  tags                            = var.tags
}

data "aws_iam_policy_document" "cross_account" {
  count = length(var.read_account_ids) > 0 ? 1 : 0

  statement {
    sid       = "CrossAccountReadGroup"
    actions   = ["sagemaker:DescribeModelPackageGroup"]
    resources = [local.group_arn]

    principals {
      type        = "AWS"
      identifiers = [for id in sort(var.read_account_ids) : "arn:${data.aws_partition.current.partition}:iam::${id}:root"]
    }
  }

  statement {
    sid       = "CrossAccountReadPackages"
    actions   = ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"]
    resources = ["arn:${data.aws_partition.current.partition}:sagemaker:${var.region}:${var.account_id}:model-package/${lower(var.name)}/*"]

    principals {
      type        = "AWS"
      identifiers = [for id in sort(var.read_account_ids) : "arn:${data.aws_partition.current.partition}:iam::${id}:root"]
    }
  }
}

resource "aws_sagemaker_model_package_group_policy" "this" {
  count = length(var.read_account_ids) > 0 ? 1 : 0

  model_package_group_name = aws_sagemaker_model_package_group.this.model_package_group_name
  resource_policy          = data.aws_iam_policy_document.cross_account[0].json
}
