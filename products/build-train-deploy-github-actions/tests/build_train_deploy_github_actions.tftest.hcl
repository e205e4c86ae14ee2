# Native tests of products/build-train-deploy-github-actions: its Studio parameters reach the composition in GitHub
# Actions mode (roles for the workflows, no CodePipeline), and bad ones are refused with the parameter's name.
mock_provider "aws" {
  source = "./modules/mlops-project/tests/mocks"
}

# The catalog's GitHub OIDC provider, as catalog/ publishes it in SSM.
override_data {
  target = module.project.data.aws_ssm_parameter.github_oidc_provider[0]
  values = {
    value = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  }
}

variables {
  SageMakerProjectName              = "Churn-Model"
  SageMakerProjectId                = "p-ghactions0001"
  CodeConnectionArn                 = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  ModelBuildCodeRepositoryFullname  = "ds-team/churn-build"
  ModelDeployCodeRepositoryFullname = "ds-team/churn-deploy"
  GitHubTokenSecretArn              = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn-dispatch-token-AbCdEf"
}

run "workflows_get_roles_bound_to_the_repositories" {
  command = plan

  assert {
    condition     = output.model_build_repository == "ds-team/churn-build@main" && output.model_deploy_repository == "ds-team/churn-deploy@main"
    error_message = "The repositories and branches are the parameters' (both branches default to main)."
  }

  assert {
    condition = output.github_actions.repositories.model_build.subjects == tolist(["repo:ds-team/churn-build:ref:refs/heads/main"]) && output.github_actions.repositories.model_deploy.subjects == tolist([
      "repo:ds-team/churn-deploy:environment:prod",
      "repo:ds-team/churn-deploy:environment:staging",
      "repo:ds-team/churn-deploy:ref:refs/heads/main",
    ])
    error_message = "The build role trusts the build repository's branch; the deploy role its branch and the stages' environments."
  }

  assert {
    condition     = module.project.model_build_pipeline_name == null && module.project.model_deploy_pipeline_name == null
    error_message = "GitHub Actions builds and deploys: the project has no CodePipeline."
  }

  assert {
    condition     = output.project.deploy_stage_names == ["staging", "prod"] && output.project.model_package_group_name == "Churn-Model-p-ghactions0001-models"
    error_message = "The stages are the governed staging and prod."
  }
}

run "rejects_a_token_that_is_not_a_secret" {
  command = plan
  variables {
    GitHubTokenSecretArn = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
  }
  expect_failures = [var.GitHubTokenSecretArn]
}

run "rejects_a_url_as_repository" {
  command = plan
  variables {
    ModelDeployCodeRepositoryFullname = "https://github.com/ds-team/churn-deploy"
  }
  expect_failures = [var.ModelDeployCodeRepositoryFullname]
}
