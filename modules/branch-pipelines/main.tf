# Experimentation branches of a project's model-build repository: a project function (../project-function,
# scripts/mlops_templates/lambdas/branch_pipelines.py) that
#   - names each branch's SageMaker pipeline (<project>-<branch>, sanitised) for the experiments CodePipeline,
#     whose Lambda action calls it before the build;
#   - starts that CodePipeline at the pushed commit when a CodeCommit branch other than the main one is created or
#     updated (EventBridge), and deletes the branch's SageMaker pipeline when the branch is deleted;
#   - on a schedule, deletes the experiment pipelines of branches that no longer exist (third-party repositories
#     behind CodeConnections send no deletion events; for CodeCommit it catches missed ones).
# It only ever deletes or stops pipelines tagged with the project's id and run by the experiments execution role,
# never the production pipeline (denied outright below).

data "aws_partition" "current" {}

locals {
  partition     = data.aws_partition.current.partition
  sagemaker     = "arn:${local.partition}:sagemaker:${var.region}:${var.account_id}"
  codecommit    = var.repository.kind == "codecommit"
  pipeline_arn  = "arn:${local.partition}:codepipeline:${var.region}:${var.account_id}:${var.codepipeline_name}"
  repository    = local.codecommit ? { kind = "codecommit", name = var.repository.name } : { kind = "codeconnections", connection_arn = var.repository.connection_arn, full_repository_id = var.repository.full_repository_id }
  repository_id = local.codecommit ? var.repository.name : var.repository.full_repository_id
  # SageMaker lowercases the names in its ARNs.
  experiment_pipelines = "${local.sagemaker}:pipeline/${lower(var.project_name)}-*"
  reserved_pipelines   = [for name in var.reserved_pipeline_names : "${local.sagemaker}:pipeline/${lower(name)}"]
  # CodeStar Connections was renamed CodeConnections: IAM matches the ARN as the caller spells it.
  connection_arns = local.codecommit ? [] : distinct([
    replace(var.repository.connection_arn, ":codestar-connections:", ":codeconnections:"),
    replace(var.repository.connection_arn, ":codeconnections:", ":codestar-connections:"),
  ])
}

data "aws_iam_policy_document" "this" {
  statement {
    # CodePipeline's job results and SageMaker's ListPipelines support no resource-level permissions.
    sid       = "ReportJobsAndFindPipelines"
    actions   = ["codepipeline:PutJobFailureResult", "codepipeline:PutJobSuccessResult", "sagemaker:ListPipelines"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadProjectPipelines"
    actions   = ["sagemaker:DescribePipeline", "sagemaker:ListPipelineExecutions", "sagemaker:ListTags"]
    resources = [local.experiment_pipelines]
  }

  statement {
    sid       = "DeleteExperimentPipelines"
    actions   = ["sagemaker:DeletePipeline"]
    resources = [local.experiment_pipelines]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = [var.project_id]
    }
  }

  statement {
    # Executions carry no tags: the function stops only executions of pipelines it has checked (tag and role).
    sid       = "StopExperimentExecutions"
    actions   = ["sagemaker:StopPipelineExecution"]
    resources = ["${local.experiment_pipelines}/execution/*"]
  }

  statement {
    sid       = "NeverTheProductionPipeline"
    effect    = "Deny"
    actions   = ["sagemaker:DeletePipeline", "sagemaker:StopPipelineExecution"]
    resources = flatten([for arn in local.reserved_pipelines : [arn, "${arn}/execution/*"]])
  }

  dynamic "statement" {
    for_each = local.codecommit ? [1] : []
    content {
      sid       = "StartBranchBuilds"
      actions   = ["codepipeline:StartPipelineExecution"]
      resources = [local.pipeline_arn]
    }
  }

  dynamic "statement" {
    for_each = local.codecommit ? [1] : []
    content {
      sid       = "ListBranches"
      actions   = ["codecommit:ListBranches"]
      resources = ["arn:${local.partition}:codecommit:${var.region}:${var.account_id}:${var.repository.name}"]
    }
  }

  dynamic "statement" {
    # The branches of a third-party repository, from the connection's git-http endpoint (git-upload-pack).
    for_each = local.codecommit ? [] : [1]
    content {
      sid       = "ListBranchesThroughTheConnection"
      actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
      resources = local.connection_arns
    }
  }
}

module "function" {
  source = "../project-function"

  account_id               = var.account_id
  region                   = var.region
  name                     = var.name
  description              = "Experiment branches of ${local.repository_id}: one SageMaker pipeline per branch, deleted with the branch"
  handler                  = "branch_pipelines.handler"
  code_bucket              = var.code_bucket
  code_key                 = var.code_key
  kms_key_arn              = var.kms_key_arn
  policy_json              = data.aws_iam_policy_document.this.json
  permissions_boundary_arn = var.permissions_boundary_arn
  timeout_in_seconds       = 300
  environment_variables = {
    PROJECT_NAME            = var.project_name
    PROJECT_ID              = var.project_id
    MAIN_BRANCH             = var.main_branch
    RESERVED_PIPELINE_NAMES = jsonencode(var.reserved_pipeline_names)
    EXPERIMENT_ROLE_ARN     = var.experiment_role_arn
    CODEPIPELINE_NAME       = var.codepipeline_name
    REPOSITORY              = jsonencode(local.repository)
  }
  log_retention_in_days = var.log_retention_in_days
  tags                  = var.tags
}

# The function runs on events only: a rule (or the pipeline's action) is what may invoke it.
locals {
  rules = merge(local.codecommit ? {
    branches = {
      description = "A branch of ${var.repository.name} other than ${var.main_branch} is pushed or deleted: build or delete its SageMaker pipeline"
      event_pattern = jsonencode({
        source        = ["aws.codecommit"]
        "detail-type" = ["CodeCommit Repository State Change"]
        resources     = ["arn:${local.partition}:codecommit:${var.region}:${var.account_id}:${var.repository.name}"]
        detail = {
          event         = ["referenceCreated", "referenceUpdated", "referenceDeleted"]
          referenceType = ["branch"]
          referenceName = [{ "anything-but" = [var.main_branch] }]
        }
      })
      schedule_expression = null
    }
    } : {}, {
    reconcile = {
      description         = "Delete the experiment pipelines of deleted branches of ${local.repository_id}"
      event_pattern       = null
      schedule_expression = var.reconcile_schedule
    }
  })
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.rules

  name                = "${var.name}-${each.key}"
  description         = each.value.description
  event_pattern       = each.value.event_pattern
  schedule_expression = each.value.schedule_expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.rules

  rule      = aws_cloudwatch_event_rule.this[each.key].name
  target_id = "branch-pipelines"
  arn       = module.function.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 8
  }
}

resource "aws_lambda_permission" "rules" {
  for_each = local.rules

  statement_id  = "Rule-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this[each.key].arn
}
