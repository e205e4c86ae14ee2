# Deleting a project removes what its pipelines created: a project function (../project-function) that Terraform
# invokes with lifecycle_scope = "CRUD". Creating and updating the invocation does nothing; destroying it (the first
# thing `terraform destroy` of the project does, see the dependencies below) runs the teardown
# (scripts/mlops_templates/lambdas/project_teardown.py). With var.experiments, it also removes the experiment
# pipelines of the project's branches and the packages of its experiments group.

data "aws_partition" "current" {}

locals {
  sagemaker = "arn:${data.aws_partition.current.partition}:sagemaker:${var.region}:${var.account_id}"
  # SageMaker ARNs carry lowercased names; the deploy stages name their resources <project>-<stage>[-<suffix>].
  named    = [for kind in ["endpoint", "endpoint-config", "model"] : "${local.sagemaker}:${kind}/${lower(var.project_name)}-*"]
  pipeline = "${local.sagemaker}:pipeline/${lower(var.sagemaker_pipeline_name)}"
  registry = [
    "${local.sagemaker}:model-package-group/${var.model_package_group_name}",
    "${local.sagemaker}:model-package/${lower(var.model_package_group_name)}/*",
  ]
  # With experiments: the experiment pipelines <project>-<branch>[-<hash>] (any pipeline named like the project; the
  # function removes only those run as the experiments role and tagged with the project id) and the experiments group.
  experiments          = var.experiments != null
  experiment_pipelines = local.experiments ? ["${local.sagemaker}:pipeline/${lower(var.project_name)}-*"] : []
  experiments_registry = local.experiments ? [
    "${local.sagemaker}:model-package-group/${var.experiments.model_package_group_name}",
    "${local.sagemaker}:model-package/${lower(var.experiments.model_package_group_name)}/*",
  ] : []
  pipelines = concat([local.pipeline], local.experiment_pipelines)
  # Target-tracking alarms are named after the scalable target (endpoint/<endpoint>/variant/<variant>).
  alarms = [for name in distinct([var.project_name, lower(var.project_name)]) : "arn:${data.aws_partition.current.partition}:cloudwatch:${var.region}:${var.account_id}:alarm:TargetTracking-endpoint/${name}-*"]
}

data "aws_iam_policy_document" "this" {
  statement {
    # List* and Describe* of Application Auto Scaling support no resource-level permissions.
    # sagemaker:ListPipelines (finding the experiment pipelines) neither.
    sid       = "FindResources"
    actions   = concat(["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies", "sagemaker:ListEndpointConfigs", "sagemaker:ListEndpoints", "sagemaker:ListModels"], local.experiments ? ["sagemaker:ListPipelines"] : [])
    resources = ["*"]
  }

  statement {
    sid       = "ReadProjectResources"
    actions   = ["sagemaker:DescribeEndpoint", "sagemaker:DescribeModelPackageGroup", "sagemaker:DescribePipeline", "sagemaker:ListModelPackages", "sagemaker:ListPipelineExecutions", "sagemaker:ListTags"]
    resources = concat(local.named, local.pipelines, local.registry, local.experiments_registry)
  }

  statement {
    sid       = "DeleteProjectResources"
    actions   = ["sagemaker:DeleteEndpoint", "sagemaker:DeleteEndpointConfig", "sagemaker:DeleteModel", "sagemaker:DeletePipeline"]
    resources = concat(local.named, local.pipelines)

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = [var.project_id]
    }
  }

  statement {
    # The pipeline's name holds the project id; its executions carry no tags of their own. The experiment pipelines'
    # names hold only the project's name, so no condition can scope their executions to this project: the function
    # stops only executions of pipelines it has verified itself (the experiments role and the project's tag).
    sid       = "StopPipelineExecutions"
    actions   = ["sagemaker:StopPipelineExecution"]
    resources = [for pipeline in local.pipelines : "${pipeline}/execution/*"]
  }

  statement {
    # Model packages carry no project tag: the groups' names (with the project id) scope them.
    sid       = "DeleteModelPackages"
    actions   = ["sagemaker:DeleteModelPackage"]
    resources = concat([local.registry[1]], local.experiments ? [local.experiments_registry[1]] : [])
  }

  statement {
    sid       = "RemoveEndpointAutoscaling"
    actions   = ["application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeregisterScalableTarget"]
    resources = ["arn:${data.aws_partition.current.partition}:application-autoscaling:${var.region}:${var.account_id}:scalable-target/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = [var.project_id]
    }
  }

  statement {
    # Deleting a target-tracking policy deletes its alarms with the caller's permissions.
    sid       = "RemoveAutoscalingAlarms"
    actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms"]
    resources = local.alarms
  }
}

module "function" {
  source = "../project-function"

  account_id               = var.account_id
  region                   = var.region
  name                     = var.function.name
  description              = "Project teardown ${var.project_name} (${var.project_id}): removes what the project's pipelines created when the project is deleted"
  handler                  = "project_teardown.handler"
  code_bucket              = var.function.code_bucket
  code_key                 = var.function.code_key
  kms_key_arn              = var.function.kms_key_arn
  policy_json              = data.aws_iam_policy_document.this.json
  permissions_boundary_arn = var.permissions_boundary_arn
  timeout_in_seconds       = var.function.timeout_in_seconds
  log_retention_in_days    = var.function.log_retention_in_days
  tags                     = var.tags
}

# What the teardown must run before: the caller's resources that Terraform may destroy only afterwards (the bucket,
# the model package group, the key). Referenced here, not in the invocation, so that the invocation's input stays
# known at plan time and a change of these values never replaces (and so never runs) the invocation.
resource "terraform_data" "destroy_after" {
  input = var.destroy_after
}

# Destroyed (so run, with tf.action = "delete") before everything it depends on: the function, its role, policy and
# log group (through module.function.function_name), and var.destroy_after. The bucket holds the stages' Terraform
# state: if the teardown fails, the destroy stops while that state is still there.
# Never add triggers or change function_name: replacing this resource runs the teardown.
resource "aws_lambda_invocation" "this" {
  function_name   = module.function.function_name
  lifecycle_scope = "CRUD"
  terraform_key   = "tf" # the key project_teardown.handler reads
  # experiments only when set: the input of a project without them stays what it was.
  input = jsonencode(merge({
    project_name             = var.project_name
    project_id               = var.project_id
    model_package_group_name = var.model_package_group_name
    sagemaker_pipeline_name  = var.sagemaker_pipeline_name
  }, local.experiments ? { experiments = var.experiments } : {}))

  depends_on = [terraform_data.destroy_after]
}
