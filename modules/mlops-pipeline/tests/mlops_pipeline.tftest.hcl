# Native tests of modules/mlops-pipeline.
mock_provider "aws" {}

variables {
  name                 = "demo-modelbuild"
  role_arn             = "arn:aws:iam::123456789012:role/demo-codepipeline"
  artifact_bucket_name = "demo-artifacts"
  kms_key_arn          = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  source_repository    = { repository_name = "demo-modelbuild", branch_name = "main" }
  build                = { project_name = "demo-modelbuild" }
}

run "build_pipeline_has_two_stages" {
  command = plan

  assert {
    condition     = [for s in aws_codepipeline.this.stage : s.name] == ["Source", "Build"]
    error_message = "A build pipeline is Source then Build."
  }

  assert {
    condition     = aws_codepipeline.this.stage[0].action[0].provider == "CodeCommit" && aws_codepipeline.this.stage[0].action[0].configuration.PollForSourceChanges == "false"
    error_message = "The source is CodeCommit without polling."
  }

  assert {
    condition     = length(aws_codepipeline.this.stage[1].action[0].output_artifacts) == 0
    error_message = "Without deployment stages the build has no output artifact."
  }
}

run "third_party_source" {
  command = plan

  variables {
    source_repository = {
      provider           = "codeconnections"
      branch_name        = "develop"
      connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc"
      full_repository_id = "org/repo"
    }
  }

  assert {
    condition     = aws_codepipeline.this.stage[0].action[0].provider == "CodeStarSourceConnection" && aws_codepipeline.this.stage[0].action[0].configuration.FullRepositoryId == "org/repo"
    error_message = "A third-party source goes through CodeConnections."
  }

  assert {
    condition     = aws_codepipeline.this.stage[0].action[0].configuration.ConnectionArn == "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc" && aws_codepipeline.this.stage[0].action[0].configuration.BranchName == "develop"
    error_message = "The source action reads the followed branch through the connection."
  }

  assert {
    condition = (length(aws_codepipeline.this.trigger) == 1
      && aws_codepipeline.this.trigger[0].provider_type == "CodeStarSourceConnection"
      && aws_codepipeline.this.trigger[0].git_configuration[0].source_action_name == "Source"
    && aws_codepipeline.this.trigger[0].git_configuration[0].push[0].branches[0].includes == tolist(["develop"]))
    error_message = "A push to the followed branch (and only to it) starts the pipeline."
  }
}

run "codecommit_source_has_no_trigger" {
  command = plan

  assert {
    condition     = length(aws_codepipeline.this.trigger) == 0 && aws_codepipeline.this.stage[0].action[0].configuration.PollForSourceChanges == "false"
    error_message = "A CodeCommit source is started by EventBridge: no trigger, no polling."
  }
}

run "rejects_provider_name_instead_of_codeconnections" {
  command = plan
  variables {
    source_repository = {
      provider           = "github"
      branch_name        = "main"
      connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc"
      full_repository_id = "org/repo"
    }
  }
  expect_failures = [var.source_repository]
}

run "single_stage_without_approval" {
  command = plan

  variables {
    stages = [{ name = "prod", deploy_project_name = "demo-deploy" }]
  }

  assert {
    condition     = length(aws_codepipeline.this.stage[2].action) == 1 && aws_codepipeline.this.stage[2].action[0].name == "Deploy"
    error_message = "The last stage has no approval, and no test without a test project."
  }
}

run "rejects_duplicate_stage_names" {
  command = plan
  variables {
    stages = [{ name = "prod", deploy_project_name = "a" }, { name = "prod", deploy_project_name = "b" }]
  }
  expect_failures = [var.stages]
}

run "rejects_codecommit_source_without_repository" {
  command = plan
  variables {
    source_repository = { branch_name = "main" }
  }
  expect_failures = [var.source_repository]
}

run "rejects_unknown_source_provider" {
  command = plan
  variables {
    source_repository = { provider = "svn", branch_name = "main", repository_name = "x" }
  }
  expect_failures = [var.source_repository]
}

run "rejects_bad_bucket" {
  command = plan
  variables {
    artifact_bucket_name = "Bad_Bucket"
  }
  expect_failures = [var.artifact_bucket_name]
}

run "rejects_alias_as_key" {
  command = plan
  variables {
    kms_key_arn = "alias/demo"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "demo pipeline"
  }
  expect_failures = [var.name]
}

run "rejects_bad_role" {
  command = plan
  variables {
    role_arn = "demo-role"
  }
  expect_failures = [var.role_arn]
}

run "s3_source" {
  command = plan

  variables {
    source_repository = {
      provider    = "s3"
      branch_name = "main"
      bucket      = "demo-artifacts"
      object_key  = "sources/model_build.zip"
    }
  }

  assert {
    condition     = aws_codepipeline.this.stage[0].action[0].provider == "S3" && aws_codepipeline.this.stage[0].action[0].configuration == tomap({ S3Bucket = "demo-artifacts", S3ObjectKey = "sources/model_build.zip", PollForSourceChanges = "false" })
    error_message = "An S3 source reads the exported zip without polling (EventBridge starts the pipeline)."
  }

  assert {
    condition     = length(aws_codepipeline.this.trigger) == 0
    error_message = "An S3 source has no git trigger."
  }
}

run "rejects_s3_source_without_key" {
  command = plan
  variables {
    source_repository = { provider = "s3", branch_name = "main", bucket = "demo-artifacts" }
  }
  expect_failures = [var.source_repository]
}

run "branch_pipeline_with_invoke_stage" {
  command = plan

  variables {
    source_repository = {
      provider           = "codeconnections"
      branch_name        = "main"
      connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      full_repository_id = "ml-team/churn-modelbuild"
    }
    trigger_branches = { includes = ["**"], excludes = ["main"] }
    execution_mode   = "PARALLEL"
    invoke = {
      function_name   = "mlops-p-abc-branch-pipelines"
      user_parameters = "{\"branch\": \"#{SourceVariables.BranchName}\"}"
      namespace       = "Name"
    }
    build = { project_name = "demo-experiment", environment_variables = { SAGEMAKER_PIPELINE_NAME = "#{Name.SageMakerPipelineName}" } }
  }

  assert {
    condition     = [for s in aws_codepipeline.this.stage : s.name] == ["Source", "Prepare", "Build"] && output.stage_names == ["Source", "Prepare", "Build"]
    error_message = "The invoke stage comes between Source and Build."
  }

  assert {
    condition = (aws_codepipeline.this.stage[1].action[0].provider == "Lambda" && aws_codepipeline.this.stage[1].action[0].category == "Invoke"
      && aws_codepipeline.this.stage[1].action[0].namespace == "Name" && aws_codepipeline.this.stage[0].action[0].namespace == "SourceVariables"
    && aws_codepipeline.this.stage[1].action[0].configuration.FunctionName == "mlops-p-abc-branch-pipelines")
    error_message = "The invoke stage is a Lambda action in its namespace; the source's variables are SourceVariables."
  }

  assert {
    condition     = jsondecode(aws_codepipeline.this.stage[2].action[0].configuration.EnvironmentVariables) == [{ name = "SAGEMAKER_PIPELINE_NAME", value = "#{Name.SageMakerPipelineName}", type = "PLAINTEXT" }]
    error_message = "The build reads the invoke stage's output variable."
  }

  assert {
    condition = (aws_codepipeline.this.execution_mode == "PARALLEL"
      && aws_codepipeline.this.trigger[0].git_configuration[0].push[0].branches[0].includes == tolist(["**"])
    && aws_codepipeline.this.trigger[0].git_configuration[0].push[0].branches[0].excludes == tolist(["main"]))
    error_message = "Pushes to every branch but main start parallel executions."
  }
}

run "pipeline_variables" {
  command = plan

  variables {
    variables = [{ name = "BranchName", default_value = "", description = "Branch of this execution" }]
  }

  assert {
    condition     = aws_codepipeline.this.variable[0].name == "BranchName" && length(aws_codepipeline.this.trigger) == 0 && aws_codepipeline.this.execution_mode == "SUPERSEDED"
    error_message = "A CodeCommit pipeline may declare variables; it keeps no trigger and supersedes."
  }
}

run "rejects_unknown_execution_mode" {
  command = plan
  variables {
    execution_mode = "PARALLELL"
  }
  expect_failures = [var.execution_mode]
}

run "rejects_invoke_namespace_of_the_source" {
  command = plan
  variables {
    invoke = { function_name = "f", user_parameters = "{}", namespace = "SourceVariables" }
  }
  expect_failures = [var.invoke]
}

run "rejects_empty_trigger_branches" {
  command = plan
  variables {
    trigger_branches = { includes = [] }
  }
  expect_failures = [var.trigger_branches]
}
