# Native tests of products/build-train-deploy-anygit: its Studio parameters reach the composition, and bad ones are
# refused with the parameter's name.
mock_provider "aws" {
  source = "./modules/mlops-project/tests/mocks"
}

variables {
  SageMakerProjectName            = "Fraud-Detect"
  SageMakerProjectId              = "p-abcdef123456"
  GitCredentialsSecretArn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"
  ModelBuildCodeRepositoryUrl     = "https://dev.azure.com/contoso/fraud/_git/modelbuild"
  ModelDeployCodeRepositoryUrl    = "https://gitea.example.com/fraud/modeldeploy.git"
  ModelDeployCodeRepositoryBranch = "release"
}

run "parameters_reach_the_project" {
  command = plan

  assert {
    condition     = module.project.model_build_repository == { name = "https://dev.azure.com/contoso/fraud/_git/modelbuild", branch = "main" } && module.project.model_deploy_repository == { name = "https://gitea.example.com/fraud/modeldeploy.git", branch = "release" }
    error_message = "The repositories and branches are the parameters' (the build branch defaults to main)."
  }

  assert {
    condition     = output.model_build_pipeline_name == "Fraud-Detect-p-abcdef123456-modelbuild" && module.project.deploy_stage_names == ["staging", "prod"]
    error_message = "The project's names come from the SageMaker parameters; the stages are the governed staging and prod."
  }

  assert {
    condition     = output.webhook_urls == null && length(module.project.seed_code_keys) == 0
    error_message = "Outside a packaged artifact there is no artifacts.json: no seed push and no webhook function."
  }
}

run "rejects_credentials_in_the_url" {
  command = plan
  variables {
    ModelBuildCodeRepositoryUrl = "https://user:token@dev.azure.com/contoso/fraud/_git/modelbuild"
  }
  expect_failures = [var.ModelBuildCodeRepositoryUrl]
}

run "rejects_plain_http" {
  command = plan
  variables {
    ModelDeployCodeRepositoryUrl = "http://gitea.example.com/fraud/modeldeploy.git"
  }
  expect_failures = [var.ModelDeployCodeRepositoryUrl]
}

run "rejects_the_same_repository_twice" {
  command = plan
  variables {
    ModelDeployCodeRepositoryUrl = "https://dev.azure.com/contoso/fraud/_git/ModelBuild.git"
  }
  expect_failures = [var.ModelDeployCodeRepositoryUrl]
}

run "rejects_a_secret_name_instead_of_its_arn" {
  command = plan
  variables {
    GitCredentialsSecretArn = "fraud-git"
  }
  expect_failures = [var.GitCredentialsSecretArn]
}
