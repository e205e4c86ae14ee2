locals {
  arn = {
    iam             = "arn:${var.partition}:iam::${var.account_id}"
    resource_groups = "arn:${var.partition}:resource-groups:${var.region}:${var.account_id}"
  }

  role_names = { for k in keys(var.products) : k => "${var.name_prefix}-launch-${k}" }
  engine_role_arn_patterns = var.terraform_engine_role_arn_patterns != null ? sort(var.terraform_engine_role_arn_patterns) : [
    for role in ["TerraformExecutionRole", "ServiceCatalogExternalParameterParserRole", "ServiceCatalogTerraformOSParameterParserRole"] :
    "${local.arn.iam}:role/TerraformEngine/${role}*"
  ]
  engine_account_roots = sort(distinct([for p in local.engine_role_arn_patterns : "arn:${split(":", p)[1]}:iam::${split(":", p)[4]}:root"]))

  boundary_arn = "${local.arn.iam}:policy${var.permissions_boundary.path}${var.permissions_boundary.name}"
}

# ---------------------------------------------------------------------------------------------------------------
# The permissions boundary of every role a product creates
# ---------------------------------------------------------------------------------------------------------------

resource "aws_iam_policy" "boundary" {
  name        = var.permissions_boundary.name
  path        = var.permissions_boundary.path
  description = "Permissions boundary of every role a product of the ${var.name_prefix} catalog creates: the most any project role can do"
  policy      = var.permissions_boundary.policy_json
  tags        = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Launch roles, one per product
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "AssumeByServiceCatalog"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["servicecatalog.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }

  # The Terraform engine assumes the launch role from its own roles (state machine, Lambda functions).
  dynamic "statement" {
    for_each = length(local.engine_role_arn_patterns) > 0 ? [1] : []
    content {
      sid     = "AssumeByTerraformEngine"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = local.engine_account_roots
      }

      condition {
        test     = "StringLike"
        variable = "aws:PrincipalArn"
        values   = local.engine_role_arn_patterns
      }
    }
  }
}

data "aws_iam_policy_document" "engine" {
  statement {
    sid       = "ReadProductArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.artifact_bucket_arn}/*"]
  }

  dynamic "statement" {
    for_each = var.artifact_kms_key_arn == null ? [] : [var.artifact_kms_key_arn]
    content {
      sid       = "DecryptProductArtifacts"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }

  statement {
    sid = "ManageResourceGroups"
    actions = [
      "resource-groups:DeleteGroup",
      "resource-groups:ListGroupResources",
      "resource-groups:Tag",
    ]
    resources = ["${local.arn.resource_groups}:group/*"]
  }

  # CreateGroup and the Resource Groups Tagging API have no resource-level permissions: "*" is their only
  # valid resource.
  statement {
    sid = "TagProvisionedResources"
    actions = [
      "resource-groups:CreateGroup",
      "tag:GetResources",
      "tag:GetTagKeys",
      "tag:GetTagValues",
      "tag:TagResources",
      "tag:UntagResources",
    ]
    resources = ["*"]
  }
}

# Whatever a product's launch policy says, a launch role cannot create or change a role without the boundary,
# remove the boundary from a role, or change the boundary policy itself.
data "aws_iam_policy_document" "boundary_guard" {
  statement {
    sid    = "DenyRoleWritesWithoutTheBoundary"
    effect = "Deny"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  statement {
    sid    = "DenyBoundaryRemovalAndChanges"
    effect = "Deny"
    actions = [
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:DeleteRolePermissionsBoundary",
      "iam:SetDefaultPolicyVersion",
      "iam:TagPolicy",
      "iam:UntagPolicy",
    ]
    resources = ["*"]
  }

  # Launch roles never create users, groups or managed policies, whatever a product's policy grants.
  statement {
    sid    = "DenyOtherIdentities"
    effect = "Deny"
    actions = [
      "iam:AddUserToGroup",
      "iam:AttachGroupPolicy",
      "iam:AttachUserPolicy",
      "iam:CreateAccessKey",
      "iam:CreateGroup",
      "iam:CreateLoginProfile",
      "iam:CreatePolicy",
      "iam:CreateUser",
      "iam:PutGroupPolicy",
      "iam:PutUserPolicy",
      "iam:UpdateLoginProfile",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role" "this" {
  for_each = var.products

  name               = local.role_names[each.key]
  description        = "Service Catalog launch role of product ${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "product" {
  for_each = var.products

  name   = "product"
  role   = aws_iam_role.this[each.key].name
  policy = each.value.launch_policy_json
}

resource "aws_iam_role_policy" "engine" {
  for_each = var.products

  name   = "terraform-engine"
  role   = aws_iam_role.this[each.key].name
  policy = data.aws_iam_policy_document.engine.json
}

resource "aws_iam_role_policy" "boundary_guard" {
  for_each = var.products

  name   = "permissions-boundary-guard"
  role   = aws_iam_role.this[each.key].name
  policy = data.aws_iam_policy_document.boundary_guard.json
}
