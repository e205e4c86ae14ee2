# Least-privilege policies of the project's service roles: every statement names this project's resources.

data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "ProjectBucket"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.bucket_name}", "arn:${local.partition}:s3:::${local.bucket_name}/*"]
  }

  # The key is named by its alias, so the whole policy is known (and reviewable) at plan time.
  statement {
    sid       = "ProjectKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = [local.kms_alias]
    }
  }
}

data "aws_iam_policy_document" "codebuild_logs" {
  statement {
    sid       = "OwnLogGroups"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for name in values(local.codebuild_projects) : "${local.arn_prefix.logs}:/aws/codebuild/${name}:*"]
  }
}

# Model build: upsert and run the project's SageMaker Pipeline, read the model registry.
data "aws_iam_policy_document" "model_build" {
  source_policy_documents = [data.aws_iam_policy_document.artifacts.json, data.aws_iam_policy_document.codebuild_logs.json]

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

  statement {
    sid       = "PassExecutionRoleToSageMaker"
    actions   = ["iam:PassRole"]
    resources = [local.role_arns.sagemaker]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}

# Model deploy: read the registry, apply the endpoint Terraform of each stage, test the endpoints.
data "aws_iam_policy_document" "model_deploy" {
  source_policy_documents = [data.aws_iam_policy_document.artifacts.json, data.aws_iam_policy_document.codebuild_logs.json]

  statement {
    sid       = "ReadRegistry"
    actions   = ["sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages"]
    resources = ["${local.arn_prefix.sagemaker}:model-package-group/${local.model_package_group_name}", "${local.arn_prefix.sagemaker}:model-package/${lower(local.model_package_group_name)}/*"]
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
    ]
    resources = flatten([for s in var.deploy_stages : [
      "${local.arn_prefix.sagemaker}:endpoint/${lower(local.project_name)}-${s.name}",
      "${local.arn_prefix.sagemaker}:endpoint-config/${lower(local.project_name)}-${s.name}-*",
      "${local.arn_prefix.sagemaker}:model/${lower(local.project_name)}-${s.name}-*",
    ]])
  }

  statement {
    sid       = "EndpointAutoscaling"
    actions   = ["application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource"]
    resources = ["arn:${local.partition}:application-autoscaling:${local.region}:${local.account_id}:scalable-target/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sagemaker:project-id"
      values   = [local.project_id]
    }
  }

  statement {
    # Describe* calls of Application Auto Scaling support no resource-level permissions.
    sid       = "DescribeAutoscaling"
    actions   = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies"]
    resources = ["*"]
  }

  statement {
    sid       = "PassExecutionRoleToSageMaker"
    actions   = ["iam:PassRole"]
    resources = [local.role_arns.sagemaker]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}

# CodePipeline: read the two repositories, run the project's CodeBuild projects, use the artifact store.
data "aws_iam_policy_document" "codepipeline" {
  source_policy_documents = [data.aws_iam_policy_document.artifacts.json]

  statement {
    sid       = "SourceRepositories"
    actions   = ["codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetRepository", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"]
    resources = values(local.repository_arns)
  }

  statement {
    sid       = "ProjectBuilds"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = [for name in values(local.codebuild_projects) : "${local.arn_prefix.codebuild}/${name}"]
  }
}

# SageMaker execution role: what the pipeline's processing and training jobs, and the endpoints, do.
data "aws_iam_policy_document" "sagemaker" {
  source_policy_documents = [data.aws_iam_policy_document.artifacts.json]

  statement {
    sid = "ProjectJobs"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreateProcessingJob",
      "sagemaker:CreateTrainingJob",
      "sagemaker:DescribeProcessingJob",
      "sagemaker:DescribeTrainingJob",
      "sagemaker:StopProcessingJob",
      "sagemaker:StopTrainingJob",
    ]
    resources = [
      "${local.arn_prefix.sagemaker}:processing-job/*",
      "${local.arn_prefix.sagemaker}:training-job/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/sagemaker:project-id"
      values   = [local.project_id]
    }
  }

  statement {
    sid       = "RegisterModels"
    actions   = ["sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages", "sagemaker:AddTags"]
    resources = ["${local.arn_prefix.sagemaker}:model-package-group/${local.model_package_group_name}", "${local.arn_prefix.sagemaker}:model-package/${lower(local.model_package_group_name)}/*"]
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

  statement {
    sid       = "PassSelfToJobs"
    actions   = ["iam:PassRole"]
    resources = [local.role_arns.sagemaker]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}
