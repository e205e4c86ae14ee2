# Native tests of products/build-train-deploy-git: its Studio parameters reach the composition, and bad ones are
# refused with the parameter's name.
mock_provider "aws" {
  source = "./modules/mlops-project/tests/mocks"
}

variables {
  SageMakerProjectName              = "Fraud-Detect"
  SageMakerProjectId                = "p-abcdef123456"
  CodeConnectionArn                 = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  ModelBuildCodeRepositoryFullname  = "ml-team/fraud-modelbuild"
  ModelDeployCodeRepositoryFullname = "ml-team/fraud-modeldeploy"
  ModelDeployCodeRepositoryBranch   = "release/1.x"
}

run "parameters_reach_the_project" {
  command = plan

  assert {
    condition     = output.model_build_repository == "ml-team/fraud-modelbuild@main" && output.model_deploy_repository == "ml-team/fraud-modeldeploy@release/1.x"
    error_message = "The repositories and branches are the parameters' (the build branch defaults to main)."
  }

  assert {
    condition     = module.project.model_build_pipeline_name == "Fraud-Detect-p-abcdef123456-modelbuild" && output.project.deploy_stage_names == ["staging", "prod"]
    error_message = "The project's names come from the SageMaker parameters; the stages are the governed staging and prod."
  }

  assert {
    condition     = length(module.project.seed_code_keys) == 0
    error_message = "Outside a packaged artifact there is no artifacts.json: no seed push."
  }
}

run "rejects_a_url_as_repository" {
  command = plan
  variables {
    ModelBuildCodeRepositoryFullname = "https://github.com/ml-team/fraud-modelbuild"
  }
  expect_failures = [var.ModelBuildCodeRepositoryFullname]
}

run "rejects_the_same_repository_twice" {
  command = plan
  variables {
    ModelDeployCodeRepositoryFullname = "ML-Team/Fraud-ModelBuild"
  }
  expect_failures = [var.ModelDeployCodeRepositoryFullname]
}

run "rejects_a_host_arn_as_connection" {
  command = plan
  variables {
    CodeConnectionArn = "arn:aws:codeconnections:eu-west-1:123456789012:host/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  }
  expect_failures = [var.CodeConnectionArn]
}

run "rejects_a_bad_branch" {
  command = plan
  variables {
    ModelBuildCodeRepositoryBranch = "feature branch"
  }
  expect_failures = [var.ModelBuildCodeRepositoryBranch]
}
