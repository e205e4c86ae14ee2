locals {
  connection = var.source_repository.provider == "codeconnections"
  # (JSON, as the three configurations differ in type.)
  source_configuration = jsondecode({
    codecommit = jsonencode({
      RepositoryName       = var.source_repository.repository_name
      BranchName           = var.source_repository.branch_name
      PollForSourceChanges = "false"
      OutputArtifactFormat = "CODE_ZIP"
    })
    codeconnections = jsonencode({
      ConnectionArn        = var.source_repository.connection_arn
      FullRepositoryId     = var.source_repository.full_repository_id
      BranchName           = var.source_repository.branch_name
      OutputArtifactFormat = "CODE_ZIP"
    })
    s3 = jsonencode({
      S3Bucket             = var.source_repository.bucket
      S3ObjectKey          = var.source_repository.object_key
      PollForSourceChanges = "false"
    })
  }[var.source_repository.provider])
  source_provider   = { codecommit = "CodeCommit", codeconnections = "CodeStarSourceConnection", s3 = "S3" }[var.source_repository.provider]
  build_environment = jsonencode([for k, v in var.build.environment_variables : { name = k, value = v, type = "PLAINTEXT" }])
  # The branches whose pushes start a CodeConnections pipeline: the source's branch unless trigger_branches says.
  trigger_branches = var.trigger_branches != null ? var.trigger_branches : { includes = [var.source_repository.branch_name], excludes = [] }
  last_stage       = length(var.stages) > 0 ? var.stages[length(var.stages) - 1].name : null
}

resource "aws_codepipeline" "this" {
  name           = var.name
  role_arn       = var.role_arn
  pipeline_type  = "V2"
  execution_mode = var.execution_mode
  tags           = var.tags

  dynamic "variable" {
    for_each = var.variables
    content {
      name          = variable.value.name
      default_value = variable.value.default_value
      description   = variable.value.description
    }
  }

  # CodeConnections sources: a push to the branch starts the pipeline (a trigger turns off the action's own change
  # detection). CodeCommit and S3 sources are started by the caller's EventBridge rule.
  dynamic "trigger" {
    for_each = local.connection ? [1] : []
    content {
      provider_type = "CodeStarSourceConnection"

      git_configuration {
        source_action_name = "Source"

        push {
          branches {
            includes = local.trigger_branches.includes
            excludes = length(local.trigger_branches.excludes) > 0 ? local.trigger_branches.excludes : null
          }
        }
      }
    }
  }

  artifact_store {
    type     = "S3"
    location = var.artifact_bucket_name

    encryption_key {
      type = "KMS"
      id   = var.kms_key_arn
    }
  }

  stage {
    name = "Source"

    action {
      name             = "Source"
      category         = "Source"
      owner            = "AWS"
      provider         = local.source_provider
      version          = "1"
      output_artifacts = ["SourceOutput"]
      namespace        = var.invoke == null ? null : "SourceVariables"
      configuration    = local.source_configuration
    }
  }

  # A Lambda function between Source and Build whose output variables (#{<namespace>.<name>}) the build's
  # environment may use; it sees the source's (#{SourceVariables.<name>}) and the pipeline's (#{variables.<name>}).
  dynamic "stage" {
    for_each = var.invoke == null ? [] : [var.invoke]
    content {
      name = stage.value.stage_name

      action {
        name      = stage.value.stage_name
        category  = "Invoke"
        owner     = "AWS"
        provider  = "Lambda"
        version   = "1"
        namespace = stage.value.namespace
        configuration = {
          FunctionName   = stage.value.function_name
          UserParameters = stage.value.user_parameters
        }
      }
    }
  }

  stage {
    name = "Build"

    action {
      name             = "Build"
      category         = "Build"
      owner            = "AWS"
      provider         = "CodeBuild"
      version          = "1"
      input_artifacts  = ["SourceOutput"]
      output_artifacts = length(var.stages) > 0 ? ["BuildOutput"] : []
      configuration = merge(
        { ProjectName = var.build.project_name },
        length(var.build.environment_variables) > 0 ? { EnvironmentVariables = local.build_environment } : {},
      )
    }
  }

  dynamic "stage" {
    for_each = var.stages
    content {
      name = stage.value.name

      action {
        name            = "Deploy"
        category        = "Build"
        owner           = "AWS"
        provider        = "CodeBuild"
        version         = "1"
        run_order       = 1
        input_artifacts = ["SourceOutput", "BuildOutput"]
        configuration = {
          ProjectName          = stage.value.deploy_project_name
          PrimarySource        = "SourceOutput"
          EnvironmentVariables = jsonencode([{ name = "STAGE_NAME", value = stage.value.name, type = "PLAINTEXT" }])
        }
      }

      dynamic "action" {
        for_each = stage.value.test_project_name == null ? [] : [stage.value.test_project_name]
        content {
          name            = "Test"
          category        = "Build"
          owner           = "AWS"
          provider        = "CodeBuild"
          version         = "1"
          run_order       = 2
          input_artifacts = ["SourceOutput", "BuildOutput"]
          configuration = {
            ProjectName          = action.value
            PrimarySource        = "SourceOutput"
            EnvironmentVariables = jsonencode([{ name = "STAGE_NAME", value = stage.value.name, type = "PLAINTEXT" }])
          }
        }
      }

      dynamic "action" {
        for_each = stage.value.requires_approval && stage.value.name != local.last_stage ? [stage.key] : []
        content {
          name      = "Approve"
          category  = "Approval"
          owner     = "AWS"
          provider  = "Manual"
          version   = "1"
          run_order = 3
          configuration = merge(
            { CustomData = "Approve to promote this model from ${stage.value.name} to ${var.stages[action.value + 1].name}." },
            stage.value.approval_sns_topic_arn == null ? {} : { NotificationArn = stage.value.approval_sns_topic_arn },
          )
        }
      }
    }
  }
}
