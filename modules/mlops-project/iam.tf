# Least-privilege policies of the project's service roles: every statement names this project's resources.

locals {
  # The project key by ARN (known after apply): access bound to an alias would follow the alias wherever it is
  # repointed.
  kms_key_arn = module.kms_key.arn

  # SageMaker lowercases the names inside its ARNs (a project named "Churn-Model" has the group
  # model-package-group/churn-model-...), and IAM compares ARNs case-sensitively.
  model_package_group_arn = "${local.arn_prefix.sagemaker}:model-package-group/${lower(local.model_package_group_name)}"
  model_packages_arn      = "${local.arn_prefix.sagemaker}:model-package/${lower(local.model_package_group_name)}/*"

  # Endpoints whose variant scales (Application Auto Scaling target tracking).
  pipeline_job_arns = [
    "${local.arn_prefix.sagemaker}:processing-job/pipelines-*",
    "${local.arn_prefix.sagemaker}:training-job/pipelines-*",
  ]

  # Endpoints whose variant scales, by the name the deploy build gives them (<project>-<stage>, case kept):
  # target-tracking alarms are named after it, not after the endpoint's (lowercased) ARN.
  autoscaling_endpoints = [for s in var.deploy_stages : "${local.project_name}-${s.name}" if s.autoscaling != null]
}

data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "ProjectBucket"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.bucket_name}", "arn:${local.partition}:s3:::${local.bucket_name}/*"]
  }

  # The key by its ARN, not by alias (kms:ResourceAliases): whoever could repoint the alias would move access.
  statement {
    sid       = "ProjectKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [local.kms_key_arn]
  }
}

# SageMaker creates grants on the project key for the resources it builds with it: job volumes
# (VolumeKmsKeyId of processing and training jobs) and endpoint storage (KmsKeyId of an endpoint config).
data "aws_iam_policy_document" "sagemaker_grants" {
  statement {
    sid       = "ProjectKeyGrantsForSageMaker"
    actions   = ["kms:CreateGrant"]
    resources = [local.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sagemaker.${local.region}.amazonaws.com"]
    }
  }
}

# Hand an execution role to SageMaker (pipeline steps, jobs, models), and to no other service: what the build role
# (pipeline upsert), the deploy role (models and endpoints) and the execution role itself (the jobs a pipeline starts)
# need; the experiments build and execution roles pass only the experiments execution role.
data "aws_iam_policy_document" "pass_sagemaker_role" {
  for_each = { for k in ["sagemaker", "experiment_sagemaker"] : k => local.role_arns[k] if k == "sagemaker" || local.experiments }

  statement {
    sid       = "PassExecutionRoleToSageMaker"
    actions   = ["iam:PassRole"]
    resources = [each.value]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}

# The CodeBuild projects' logs (CodePipeline CI; GitHub Actions workflows log in GitHub).
data "aws_iam_policy_document" "codebuild_logs" {
  count = local.codepipeline ? 1 : 0

  statement {
    sid       = "OwnLogGroups"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for k, name in local.codebuild_projects : "${local.arn_prefix.logs}:/aws/codebuild/${name}:*" if k != "experiment"]
  }
}

# Model build (the CodeBuild project's role, or the GitHub Actions workflow's): upsert and run the project's
# SageMaker Pipeline.
data "aws_iam_policy_document" "model_build" {
  source_policy_documents = concat([data.aws_iam_policy_document.artifacts.json], data.aws_iam_policy_document.codebuild_logs[*].json, [data.aws_iam_policy_document.pass_sagemaker_role["sagemaker"].json])

  statement {
    sid = "ProjectPipeline"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreatePipeline",
      "sagemaker:DescribePipeline",
      "sagemaker:DescribePipelineDefinitionForExecution",
      "sagemaker:DescribePipelineExecution",
      "sagemaker:ListPipelineExecutionSteps",
      "sagemaker:ListTags",
      "sagemaker:StartPipelineExecution",
      "sagemaker:UpdatePipeline",
    ]
    resources = [
      "${local.arn_prefix.sagemaker}:pipeline/${lower(local.sagemaker_pipeline_name)}",
      "${local.arn_prefix.sagemaker}:pipeline/${lower(local.sagemaker_pipeline_name)}/execution/*",
    ]
  }
}

# Model deploy (the CodeBuild projects' role, or the GitHub Actions workflow's): read the registry, apply the
# endpoint Terraform of each stage, test the endpoints.
data "aws_iam_policy_document" "model_deploy" {
  count                   = local.deploys ? 1 : 0
  source_policy_documents = concat([data.aws_iam_policy_document.artifacts.json], data.aws_iam_policy_document.codebuild_logs[*].json, [data.aws_iam_policy_document.sagemaker_grants.json, data.aws_iam_policy_document.pass_sagemaker_role["sagemaker"].json])

  statement {
    sid       = "ReadRegistry"
    actions   = ["sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages"]
    resources = [local.model_package_group_arn, local.model_packages_arn]
  }

  statement {
    sid = "ProjectEndpoints"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreateEndpoint",
      "sagemaker:CreateEndpointConfig",
      "sagemaker:CreateModel",
      "sagemaker:DeleteEndpoint",
      "sagemaker:DeleteEndpointConfig",
      "sagemaker:DeleteModel",
      "sagemaker:DeleteTags",
      "sagemaker:DescribeEndpoint",
      "sagemaker:DescribeEndpointConfig",
      "sagemaker:DescribeModel",
      "sagemaker:InvokeEndpoint",
      "sagemaker:ListTags",
      "sagemaker:UpdateEndpoint",
      "sagemaker:UpdateEndpointWeightsAndCapacities",
    ]
    resources = flatten([for s in var.deploy_stages : [
      "${local.arn_prefix.sagemaker}:endpoint/${lower(local.project_name)}-${s.name}",
      "${local.arn_prefix.sagemaker}:endpoint-config/${lower(local.project_name)}-${s.name}-*",
      "${local.arn_prefix.sagemaker}:model/${lower(local.project_name)}-${s.name}-*",
    ]])
  }

  # Endpoint autoscaling, only when a stage scales. A new scalable target has a random id and no tags yet, so
  # registering is bound to SageMaker variants (Application Auto Scaling also checks that the caller may describe
  # and scale the endpoint: the project's own, above); later calls are bound to the project's tag on the target.
  dynamic "statement" {
    for_each = length(local.autoscaling_endpoints) > 0 ? [1] : []
    content {
      sid       = "RegisterEndpointScalableTargets"
      actions   = ["application-autoscaling:RegisterScalableTarget"]
      resources = ["arn:${local.partition}:application-autoscaling:${local.region}:${local.account_id}:scalable-target/*"]

      condition {
        test     = "StringEquals"
        variable = "application-autoscaling:service-namespace"
        values   = ["sagemaker"]
      }

      condition {
        test     = "StringEquals"
        variable = "application-autoscaling:scalable-dimension"
        values   = ["sagemaker:variant:DesiredInstanceCount"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.autoscaling_endpoints) > 0 ? [1] : []
    content {
      sid       = "TagEndpointScalableTargets"
      actions   = ["application-autoscaling:TagResource"]
      resources = ["arn:${local.partition}:application-autoscaling:${local.region}:${local.account_id}:scalable-target/*"]

      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/sagemaker:project-id"
        values   = [local.project_id]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.autoscaling_endpoints) > 0 ? [1] : []
    content {
      sid       = "ProjectScalableTargets"
      actions   = ["application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:ListTagsForResource", "application-autoscaling:PutScalingPolicy"]
      resources = ["arn:${local.partition}:application-autoscaling:${local.region}:${local.account_id}:scalable-target/*"]

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/sagemaker:project-id"
        values   = [local.project_id]
      }
    }
  }

  dynamic "statement" {
    # Target tracking creates, reads and deletes its alarms as the caller of PutScalingPolicy.
    for_each = length(local.autoscaling_endpoints) > 0 ? [1] : []
    content {
      sid       = "TargetTrackingAlarms"
      actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"]
      resources = [for e in local.autoscaling_endpoints : "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:TargetTracking-endpoint/${e}/*"]
    }
  }

  dynamic "statement" {
    # The first scalable SageMaker variant of the account creates Application Auto Scaling's service-linked role.
    for_each = length(local.autoscaling_endpoints) > 0 ? [1] : []
    content {
      sid       = "AutoscalingServiceLinkedRole"
      actions   = ["iam:CreateServiceLinkedRole"]
      resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"]

      condition {
        test     = "StringEquals"
        variable = "iam:AWSServiceName"
        values   = ["sagemaker.application-autoscaling.amazonaws.com"]
      }
    }
  }

  statement {
    # Describe* calls of Application Auto Scaling support no resource-level permissions.
    sid       = "DescribeAutoscaling"
    actions   = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies"]
    resources = ["*"]
  }
}

# CodePipeline: read the two repositories (CodeCommit, or the third-party ones through the connection), run the
# project's CodeBuild projects, use the artifact store.
data "aws_iam_policy_document" "codepipeline" {
  count                   = local.codepipeline ? 1 : 0
  source_policy_documents = [data.aws_iam_policy_document.artifacts.json]

  dynamic "statement" {
    for_each = local.codecommit ? [1] : []
    content {
      sid       = "SourceRepositories"
      actions   = ["codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetRepository", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"]
      resources = values(local.repository_arns)
    }
  }

  dynamic "statement" {
    for_each = local.codecommit ? [] : [1]
    content {
      sid       = "SourceConnection"
      actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
      resources = local.connection_arns
    }
  }

  dynamic "statement" {
    for_each = local.experiments ? [1] : []
    content {
      sid       = "NameExperimentPipelines"
      actions   = ["lambda:InvokeFunction"]
      resources = [local.branch_pipelines_function_arn]
    }
  }

  statement {
    sid       = "ProjectBuilds"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = [for name in values(local.codebuild_projects) : "${local.arn_prefix.codebuild}/${name}"]
  }
}

# SageMaker execution roles (the production one, and the experiments one): what the pipeline's processing and
# training jobs, and the endpoints, do; each registers into its own group and passes only itself.
data "aws_iam_policy_document" "pipeline_jobs" {

  # Jobs started by the project's pipeline are named pipelines-<execution id>-<step>-<suffix> and carry no
  # request tags. Creating one is bound to the project key (any volume or output key named must be it);
  # Describe and Stop support only aws:ResourceTag, which these untagged jobs do not have.
  statement {
    sid       = "StartPipelineJobs"
    actions   = ["sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob"]
    resources = local.pipeline_job_arns

    condition {
      test     = "StringEqualsIfExists"
      variable = "sagemaker:VolumeKmsKey"
      values   = [local.kms_key_arn]
    }

    condition {
      test     = "StringEqualsIfExists"
      variable = "sagemaker:OutputKmsKey"
      values   = [local.kms_key_arn]
    }
  }

  statement {
    sid       = "PipelineJobs"
    actions   = ["sagemaker:AddTags", "sagemaker:DescribeProcessingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopProcessingJob", "sagemaker:StopTrainingJob"]
    resources = local.pipeline_job_arns
  }

  statement {
    sid       = "BuiltInAlgorithmImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["arn:${local.partition}:ecr:${local.region}:*:repository/sagemaker-*"]
  }

  statement {
    # ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level permissions.
    sid       = "RegistryLoginAndMetrics"
    actions   = ["cloudwatch:PutMetricData", "ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "JobAndEndpointLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = ["${local.arn_prefix.logs}:/aws/sagemaker/*"]
  }
}

data "aws_iam_policy_document" "execution_role" {
  # The production execution role registers into the production group; the experiments one (experimentation
  # branches) into the experiments group only: no grant on the production group, so a branch's model can never reach
  # a deployment.
  for_each = { for k, group in { sagemaker = local.model_package_group_name, experiment_sagemaker = local.experiment_model_package_group_name } : k => lower(group) if k == "sagemaker" || local.experiments }

  source_policy_documents = [data.aws_iam_policy_document.artifacts.json, data.aws_iam_policy_document.sagemaker_grants.json, data.aws_iam_policy_document.pass_sagemaker_role[each.key].json, data.aws_iam_policy_document.pipeline_jobs.json]

  statement {
    sid       = "RegisterModels"
    actions   = ["sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages", "sagemaker:AddTags"]
    resources = ["${local.arn_prefix.sagemaker}:model-package-group/${each.value}", "${local.arn_prefix.sagemaker}:model-package/${each.value}/*"]
  }
}

# Experimentation branches' builds: create, update and run the SageMaker pipelines <project>-<branch> of this
# project only. Their names share the project's prefix with other projects' (project "churn" and "churn-v2"), so
# every call on an existing pipeline is bound to the project's tag, a new one must carry it, and the production
# pipeline is refused outright.
data "aws_iam_policy_document" "experiment_build" {
  count                   = local.experiments ? 1 : 0
  source_policy_documents = [data.aws_iam_policy_document.artifacts.json, data.aws_iam_policy_document.pass_sagemaker_role["experiment_sagemaker"].json]

  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.arn_prefix.logs}:/aws/codebuild/${local.codebuild_projects.experiment}:*"]
  }

  statement {
    sid       = "CreateTaggedExperimentPipelines"
    actions   = ["sagemaker:AddTags", "sagemaker:CreatePipeline"]
    resources = ["${local.arn_prefix.sagemaker}:pipeline/${lower(local.project_name)}-*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/sagemaker:project-id"
      values   = [local.project_id]
    }

    # Tagging a pipeline that already belongs to another project (to take it over) is refused.
    condition {
      test     = "StringEqualsIfExists"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = [local.project_id]
    }
  }

  statement {
    sid = "RunExperimentPipelines"
    actions = [
      "sagemaker:DescribePipeline",
      "sagemaker:ListTags",
      "sagemaker:StartPipelineExecution",
      "sagemaker:UpdatePipeline",
    ]
    resources = ["${local.arn_prefix.sagemaker}:pipeline/${lower(local.project_name)}-*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = [local.project_id]
    }
  }

  statement {
    # Executions carry no tags; reading them is all this grants.
    sid       = "FollowExperimentExecutions"
    actions   = ["sagemaker:DescribePipelineDefinitionForExecution", "sagemaker:DescribePipelineExecution", "sagemaker:ListPipelineExecutionSteps"]
    resources = ["${local.arn_prefix.sagemaker}:pipeline/${lower(local.project_name)}-*/execution/*"]
  }

  statement {
    sid       = "NeverTheProductionPipeline"
    effect    = "Deny"
    actions   = ["sagemaker:AddTags", "sagemaker:CreatePipeline", "sagemaker:DeleteTags", "sagemaker:StartPipelineExecution", "sagemaker:UpdatePipeline"]
    resources = ["${local.arn_prefix.sagemaker}:pipeline/${lower(local.sagemaker_pipeline_name)}"]
  }
}
