locals {
  arn = {
    catalog      = "arn:${var.partition}:catalog:${var.region}:${var.account_id}"
    codecommit   = "arn:${var.partition}:codecommit:${var.region}:${var.account_id}"
    codepipeline = "arn:${var.partition}:codepipeline:${var.region}:${var.account_id}"
    iam          = "arn:${var.partition}:iam::${var.account_id}"
    kms          = "arn:${var.partition}:kms:${var.region}:${var.account_id}"
    sagemaker    = "arn:${var.partition}:sagemaker:${var.region}:${var.account_id}"
  }

  portfolio_arns = length(var.portfolio_arns) > 0 ? sort(var.portfolio_arns) : ["${local.arn.catalog}:portfolio/*"]
  # Which products a persona sees and launches is decided by the portfolios' principal associations;
  # the policies only keep the calls inside this account and region.
  product_arns = ["${local.arn.catalog}:product/*"]

  # Project buckets as modules/mlops-project names them: sagemaker-project-<project id>-<account id>, with project
  # ids p-<alphanumerics>.
  project_bucket_arn = "arn:${var.partition}:s3:::sagemaker-project-p-*-${var.account_id}"
  # Project repositories as modules/mlops-project names them, after SageMaker's own project templates:
  # sagemaker-<project name>-<project id>-modelbuild and -modeldeploy.
  project_repository_arns = [for kind in ["modelbuild", "modeldeploy"] : "${local.arn.codecommit}:sagemaker-*-p-*-${kind}"]
  # Which projects' resources (repositories, keys) a caller may use: every project resource carries
  # sagemaker:project-id, and with teams only those tagged with the caller's own team (the Service Catalog engine
  # tags every resource of a project with the provisioned product's tags, team among them). Keys are bound by
  # tag, never by alias: whoever can repoint an alias would repoint the access.
  project_resource_conditions = concat(
    [{ test = "Null", variable = "aws:ResourceTag/sagemaker:project-id", values = ["false"] }],
    length(var.teams) == 0 ? [] : [{ test = "StringEquals", variable = "aws:ResourceTag/team", values = ["$${aws:PrincipalTag/team}"] }],
  )

  enforced_tag_keys = sort(distinct(var.enforced_tag_keys))
  # A request must set every enforced tag key (Null = false on each) and name them in aws:TagKeys.
  enforced_tag_conditions = concat(
    [for key in local.enforced_tag_keys : { test = "Null", variable = "aws:RequestTag/${key}", values = ["false"] }],
    [{ test = "ForAnyValue:StringEquals", variable = "aws:TagKeys", values = local.enforced_tag_keys }],
  )

  # Persona roles: one per persona, or per persona and team when teams are given (tagged team=<name>,
  # so aws:PrincipalTag/team is set for every session without session tags).
  team_suffixes = length(var.teams) == 0 ? tomap({ "" = tostring(null) }) : tomap({ for t in var.teams : "-${t}" => t })
  persona_roles = var.create_roles ? merge(
    { "platform-admin" = { persona = "platform_admin", team = tostring(null) } },
    { for suffix, team in local.team_suffixes : "data-scientist${suffix}" => { persona = "data_scientist", team = team } },
    { for suffix, team in local.team_suffixes : "lead-data-scientist${suffix}" => { persona = "lead_data_scientist", team = team } },
  ) : {}
  persona_role_policies = merge({}, [
    for role, r in local.persona_roles : merge(
      { "${role}/${r.persona}" = { role = role, policy = r.persona } },
      r.team == null ? {} : { "${role}/team_isolation" = { role = role, policy = "team_isolation" } },
    )
  ]...)

  persona_documents = {
    platform_admin      = data.aws_iam_policy_document.platform_admin.json
    data_scientist      = data.aws_iam_policy_document.data_scientist.json
    lead_data_scientist = data.aws_iam_policy_document.lead_data_scientist.json
  }
  persona_descriptions = {
    platform_admin      = "Platform admin: manages the Service Catalog portfolios, products, constraints and TagOptions and the catalog bucket"
    data_scientist      = "Data scientist: browses the catalog and creates SageMaker projects carrying the enforced tags; cannot approve models"
    lead_data_scientist = "Lead data scientist: what a data scientist may do, plus approving model packages and deployment stages"
  }
  policy_arns = merge(
    { for k, p in aws_iam_policy.persona : k => p.arn },
    { studio_execution = aws_iam_policy.studio_execution.arn },
    length(var.teams) > 0 ? { team_isolation = aws_iam_policy.team_isolation[0].arn } : {},
  )
}

# ---------------------------------------------------------------------------------------------------------------
# Platform admin
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "platform_admin" {
  statement {
    sid = "CreatePortfoliosAndProducts"
    actions = [
      "servicecatalog:CreatePortfolio",
      "servicecatalog:CreateProduct",
    ]
    resources = ["${local.arn.catalog}:portfolio/*", "${local.arn.catalog}:product/*"]
  }

  statement {
    sid = "ManagePortfolios"
    actions = [
      "servicecatalog:AssociatePrincipalWithPortfolio",
      "servicecatalog:DeletePortfolio",
      "servicecatalog:DescribePortfolio",
      "servicecatalog:DisassociatePrincipalFromPortfolio",
      "servicecatalog:ListPrincipalsForPortfolio",
      "servicecatalog:UpdatePortfolio",
    ]
    resources = local.portfolio_arns
  }

  statement {
    sid = "ManageProducts"
    actions = [
      "servicecatalog:CreateConstraint",
      "servicecatalog:CreateProvisioningArtifact",
      "servicecatalog:DeleteProduct",
      "servicecatalog:DeleteProvisioningArtifact",
      "servicecatalog:DescribeProductAsAdmin",
      "servicecatalog:DescribeProvisioningArtifact",
      "servicecatalog:ListPortfoliosForProduct",
      "servicecatalog:ListProvisioningArtifacts",
      "servicecatalog:UpdateProduct",
      "servicecatalog:UpdateProvisioningArtifact",
    ]
    resources = local.product_arns
  }

  statement {
    sid = "ManageTagOptionAssociations"
    actions = [
      "servicecatalog:AssociateTagOptionWithResource",
      "servicecatalog:DisassociateTagOptionFromResource",
    ]
    resources = concat(local.portfolio_arns, local.product_arns)
  }

  # These Service Catalog actions have no resource-level permissions: "*" is their only valid resource.
  statement {
    sid = "CatalogActionsWithoutResourceLevelPermissions"
    actions = [
      "servicecatalog:AssociateProductWithPortfolio",
      "servicecatalog:CreateTagOption",
      "servicecatalog:DeleteConstraint",
      "servicecatalog:DeleteTagOption",
      "servicecatalog:DescribeConstraint",
      "servicecatalog:DescribeTagOption",
      "servicecatalog:DisassociateProductFromPortfolio",
      "servicecatalog:ListConstraintsForPortfolio",
      "servicecatalog:ListPortfolios",
      "servicecatalog:ListResourcesForTagOption",
      "servicecatalog:ListTagOptions",
      "servicecatalog:SearchProductsAsAdmin",
      "servicecatalog:UpdateConstraint",
      "servicecatalog:UpdateTagOption",
    ]
    resources = ["*"]
  }

  # A launch constraint names a launch role: Service Catalog checks that its creator may pass it.
  statement {
    sid       = "PassLaunchRolesToServiceCatalog"
    actions   = ["iam:GetRole", "iam:PassRole"]
    resources = ["${local.arn.iam}:role/${var.name_prefix}-launch-*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["servicecatalog.amazonaws.com"]
    }
  }

  statement {
    sid       = "CatalogBucket"
    actions   = ["s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket", "s3:ListBucketVersions"]
    resources = [var.artifact_bucket_arn]
  }

  statement {
    sid = "CatalogArtifacts"
    actions = [
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:GetObjectTagging",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:PutObjectTagging",
    ]
    resources = ["${var.artifact_bucket_arn}/*"]
  }

  dynamic "statement" {
    for_each = var.artifact_kms_key_arn == null ? [] : [var.artifact_kms_key_arn]
    content {
      sid       = "CatalogArtifactsKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Data scientists (shared parts, then the persona documents)
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "catalog_user" {
  statement {
    sid = "BrowseProducts"
    actions = [
      "servicecatalog:DescribeProduct",
      "servicecatalog:DescribeProvisioningArtifact",
      "servicecatalog:DescribeProvisioningParameters",
      "servicecatalog:ListLaunchPaths",
      "servicecatalog:ListProvisioningArtifacts",
    ]
    resources = local.product_arns
  }

  # Search*/List*/Describe* on records and provisioned products have no resource-level permissions: "*" is their
  # only valid resource. Portfolio principal associations decide what a caller sees.
  statement {
    sid = "SearchCatalog"
    actions = [
      "servicecatalog:DescribeProductView",
      "servicecatalog:DescribeProvisionedProduct",
      "servicecatalog:DescribeRecord",
      "servicecatalog:ListRecordHistory",
      "servicecatalog:ScanProvisionedProducts",
      "servicecatalog:SearchProducts",
      "servicecatalog:SearchProvisionedProducts",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ProvisionWithEnforcedTags"
    actions   = ["servicecatalog:ProvisionProduct"]
    resources = local.product_arns

    dynamic "condition" {
      for_each = local.enforced_tag_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }

  # UpdateProvisionedProduct and TerminateProvisionedProduct have no resource-level permissions ("*" only);
  # servicecatalog:userLevel = self limits them to the caller's own provisioned products.
  statement {
    sid       = "UpdateOwnWithEnforcedTags"
    actions   = ["servicecatalog:UpdateProvisionedProduct"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "servicecatalog:userLevel"
      values   = ["self"]
    }

    dynamic "condition" {
      for_each = local.enforced_tag_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }

  statement {
    sid       = "TerminateOwn"
    actions   = ["servicecatalog:TerminateProvisionedProduct"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "servicecatalog:userLevel"
      values   = ["self"]
    }
  }
}

data "aws_iam_policy_document" "projects" {
  statement {
    sid       = "CreateProjectWithEnforcedTags"
    actions   = ["sagemaker:CreateProject"]
    resources = ["${local.arn.sagemaker}:project/*"]

    dynamic "condition" {
      for_each = local.enforced_tag_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }

  # Creating a project with tags also needs sagemaker:AddTags, for that call only.
  statement {
    sid       = "TagProjectOnCreate"
    actions   = ["sagemaker:AddTags"]
    resources = ["${local.arn.sagemaker}:project/*"]

    condition {
      test     = "StringEquals"
      variable = "sagemaker:TaggingAction"
      values   = ["CreateProject"]
    }
  }

  statement {
    sid       = "ManageProjects"
    actions   = ["sagemaker:DeleteProject", "sagemaker:DescribeProject", "sagemaker:UpdateProject"]
    resources = ["${local.arn.sagemaker}:project/*"]
  }

  statement {
    sid = "ReadModelRegistry"
    actions = [
      "sagemaker:DescribeModelPackage",
      "sagemaker:DescribeModelPackageGroup",
      "sagemaker:ListModelPackages",
    ]
    resources = ["${local.arn.sagemaker}:model-package/*", "${local.arn.sagemaker}:model-package-group/*"]
  }

  # List actions without resource-level permissions: "*" is their only valid resource.
  statement {
    sid       = "ListProjects"
    actions   = ["sagemaker:ListModelPackageGroups", "sagemaker:ListProjects"]
    resources = ["*"]
  }
}

# Clone, pull and push the project repositories (git over HTTPS or git-remote-codecommit), with the project key
# through CodeCommit only.
data "aws_iam_policy_document" "project_code" {
  statement {
    sid = "ProjectRepositories"
    actions = [
      "codecommit:GetBranch",
      "codecommit:GetCommit",
      "codecommit:GetRepository",
      "codecommit:GitPull",
      "codecommit:GitPush",
      "codecommit:ListBranches",
    ]
    resources = local.project_repository_arns

    dynamic "condition" {
      for_each = local.project_resource_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }

  statement {
    sid       = "ProjectKeysThroughCodeCommit"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = ["${local.arn.kms}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["codecommit.${var.region}.amazonaws.com"]
    }

    dynamic "condition" {
      for_each = local.project_resource_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}

data "aws_iam_policy_document" "data_scientist" {
  source_policy_documents = [
    data.aws_iam_policy_document.catalog_user.json,
    data.aws_iam_policy_document.projects.json,
    data.aws_iam_policy_document.project_code.json,
  ]

  # Registering or updating a model package with any status but PendingManualApproval is an approval decision.
  statement {
    sid       = "DenyModelApproval"
    effect    = "Deny"
    actions   = ["sagemaker:CreateModelPackage", "sagemaker:UpdateModelPackage"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["PendingManualApproval"]
    }
  }

  statement {
    sid       = "DenyPipelineApproval"
    effect    = "Deny"
    actions   = ["codepipeline:PutApprovalResult"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "lead_data_scientist" {
  source_policy_documents = [
    data.aws_iam_policy_document.catalog_user.json,
    data.aws_iam_policy_document.projects.json,
    data.aws_iam_policy_document.project_code.json,
  ]

  statement {
    sid       = "ApproveModelPackages"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["${local.arn.sagemaker}:model-package/*"]
  }

  # Manual approval actions of project pipelines (every project resource carries sagemaker:project-id).
  statement {
    sid       = "ApproveDeploymentStages"
    actions   = ["codepipeline:PutApprovalResult"]
    resources = ["${local.arn.codepipeline}:*/*/*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = ["false"]
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Team isolation (only with teams)
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "team_isolation" {
  count = length(var.teams) > 0 ? 1 : 0

  # Only callers of a known team may create projects and provisioned products...
  statement {
    sid    = "DenyCallersWithoutKnownTeam"
    effect = "Deny"
    actions = [
      "sagemaker:CreateProject",
      "servicecatalog:ProvisionProduct",
      "servicecatalog:UpdateProvisionedProduct",
    ]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalTag/team"
      values   = sort(var.teams)
    }
  }

  # ... and only for their own team.
  statement {
    sid    = "DenyTaggingForOtherTeams"
    effect = "Deny"
    actions = [
      "sagemaker:CreateProject",
      "servicecatalog:ProvisionProduct",
      "servicecatalog:UpdateProvisionedProduct",
    ]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestTag/team"
      values   = ["$${aws:PrincipalTag/team}"]
    }
  }

  statement {
    sid = "OwnTeamProjectResources"
    actions = [
      "codepipeline:GetPipeline",
      "codepipeline:GetPipelineExecution",
      "codepipeline:GetPipelineState",
      "codepipeline:ListActionExecutions",
      "codepipeline:ListPipelineExecutions",
      "codepipeline:StartPipelineExecution",
      "sagemaker:DescribePipeline",
      "sagemaker:DescribePipelineExecution",
      "sagemaker:ListPipelineExecutions",
      "sagemaker:StartPipelineExecution",
    ]
    resources = [
      "${local.arn.codepipeline}:*",
      "${local.arn.sagemaker}:pipeline/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["$${aws:PrincipalTag/team}"]
    }
  }

  # Whatever other policies allow, resources tagged for another team stay out of reach.
  statement {
    sid    = "DenyOtherTeamsResources"
    effect = "Deny"
    actions = [
      "codecommit:GitPull",
      "codecommit:GitPush",
      "codepipeline:PutApprovalResult",
      "codepipeline:StartPipelineExecution",
      "codepipeline:UpdatePipeline",
      "sagemaker:DeleteProject",
      "sagemaker:DescribeProject",
      "sagemaker:StartPipelineExecution",
      "sagemaker:UpdateModelPackage",
      "sagemaker:UpdateProject",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/team"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/team"
      values   = ["$${aws:PrincipalTag/team}"]
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Studio execution role additions
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "studio_execution" {
  source_policy_documents = [
    data.aws_iam_policy_document.catalog_user.json,
    data.aws_iam_policy_document.projects.json,
    data.aws_iam_policy_document.project_code.json,
  ]

  statement {
    sid = "ReadProjectPipelines"
    actions = [
      "codepipeline:GetPipeline",
      "codepipeline:GetPipelineExecution",
      "codepipeline:GetPipelineState",
      "codepipeline:ListActionExecutions",
      "codepipeline:ListPipelineExecutions",
    ]
    resources = ["${local.arn.codepipeline}:*"]
  }

  # ListPipelines has no resource-level permissions: "*" is its only valid resource.
  statement {
    sid       = "ListPipelines"
    actions   = ["codepipeline:ListPipelines"]
    resources = ["*"]
  }

  statement {
    sid       = "ProjectBuckets"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket"]
    resources = [local.project_bucket_arn]
  }

  statement {
    sid       = "ProjectObjects"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${local.project_bucket_arn}/*"]
  }

  statement {
    sid       = "ProjectKeysThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["${local.arn.kms}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }

    dynamic "condition" {
      for_each = local.project_resource_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }

  # AmazonSageMakerFullAccess, usually attached to Studio execution roles, allows git pull and push on every
  # repository named *sagemaker*: another team's project repositories stay out of reach.
  dynamic "statement" {
    for_each = length(var.teams) > 0 ? [1] : []
    content {
      sid       = "DenyOtherTeamsRepositories"
      effect    = "Deny"
      actions   = ["codecommit:GitPull", "codecommit:GitPush"]
      resources = local.project_repository_arns

      condition {
        test     = "Null"
        variable = "aws:ResourceTag/team"
        values   = ["false"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "aws:ResourceTag/team"
        values   = ["$${aws:PrincipalTag/team}"]
      }
    }
  }
}

resource "aws_iam_policy" "persona" {
  for_each = local.persona_documents

  name        = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  description = local.persona_descriptions[each.key]
  policy      = each.value
  tags        = var.tags
}

resource "aws_iam_policy" "team_isolation" {
  count = length(var.teams) > 0 ? 1 : 0

  name        = "${var.name_prefix}-team-isolation"
  description = "Team isolation: resources and requests tagged team must match the caller's aws:PrincipalTag/team"
  policy      = data.aws_iam_policy_document.team_isolation[0].json
  tags        = var.tags
}

resource "aws_iam_policy" "studio_execution" {
  name        = "${var.name_prefix}-studio-execution"
  description = "SageMaker Studio execution role additions: catalog use, projects, project pipelines and buckets"
  policy      = data.aws_iam_policy_document.studio_execution.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "studio_execution" {
  for_each = var.studio_execution_role_names

  role       = each.value
  policy_arn = aws_iam_policy.studio_execution.arn
}

# ---------------------------------------------------------------------------------------------------------------
# Persona roles (create_roles)
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "persona_trust" {
  for_each = local.persona_roles

  # sts:TagSession is deliberately not allowed: a session tag team=<other> would override the role's team tag.
  statement {
    sid     = "AssumeByPersona"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = sort(var.persona_trust_principal_arns[each.key])
    }
  }
}

resource "aws_iam_role" "persona" {
  for_each = local.persona_roles

  name               = "${var.name_prefix}-${each.key}"
  description        = "Persona role ${each.key} of the SageMaker MLOps catalog"
  assume_role_policy = data.aws_iam_policy_document.persona_trust[each.key].json
  tags               = each.value.team == null ? var.tags : merge(var.tags, { team = each.value.team })
}

resource "aws_iam_role_policy_attachment" "persona" {
  for_each = local.persona_role_policies

  role       = aws_iam_role.persona[each.value.role].name
  policy_arn = local.policy_arns[each.value.policy]
}
