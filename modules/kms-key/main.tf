data "aws_partition" "current" {}

locals {
  partition    = data.aws_partition.current.partition
  account_root = "arn:${local.partition}:iam::${var.account_id}:root"

  admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:Create*",
    "kms:Delete*",
    "kms:Describe*",
    "kms:Disable*",
    "kms:Enable*",
    "kms:Get*",
    "kms:List*",
    "kms:Put*",
    "kms:Revoke*",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Update*",
  ]
  usage_actions = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
  ]
  grant_actions = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
}

data "aws_iam_policy_document" "this" {
  # checkov:skip=CKV_AWS_111:This is a key policy: Resource "*" means this key only, and every statement is bound to named principals and conditions.
  # checkov:skip=CKV_AWS_356:This is a key policy: Resource "*" means this key only; there is no narrower resource to name.
  # The account root keeps administrative access so that the key can never be orphaned; it may be
  # delegated through IAM policies. Data use is granted only by the statements below.
  statement {
    sid       = "KeyAdministration"
    actions   = local.admin_actions
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = concat([local.account_root], var.admin_role_arns)
    }
  }

  dynamic "statement" {
    for_each = length(var.user_role_arns) > 0 ? [1] : []
    content {
      sid       = "KeyUsage"
      actions   = local.usage_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = var.user_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.user_role_arns) > 0 ? [1] : []
    content {
      sid       = "GrantsForAwsResources"
      actions   = local.grant_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = var.user_role_arns
      }

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.via_services) > 0 ? [1] : []
    content {
      sid       = "UsageViaServices"
      actions   = concat(local.usage_actions, ["kms:CreateGrant"])
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = [local.account_root]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for s in sort(var.via_services) : "${s}.${var.region}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:CallerAccount"
        values   = [var.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.service_principals) > 0 ? [1] : []
    content {
      sid       = "UsageByServicePrincipals"
      actions   = local.usage_actions
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = sort(var.service_principals)
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [var.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.other_account_ids) > 0 ? [1] : []
    content {
      sid       = "CrossAccountUsage"
      actions   = local.usage_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = [for id in sort(var.other_account_ids) : "arn:${local.partition}:iam::${id}:root"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.other_account_ids) > 0 ? [1] : []
    content {
      sid       = "CrossAccountGrantsForAwsResources"
      actions   = local.grant_actions
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = [for id in sort(var.other_account_ids) : "arn:${local.partition}:iam::${id}:root"]
      }

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  multi_region            = false
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias_name}"
  target_key_id = aws_kms_key.this.key_id
}
