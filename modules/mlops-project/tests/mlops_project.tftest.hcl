# Native tests of modules/mlops-project: parameters, conditional parts and output wiring.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  project_name = "demo"
  project_id   = "p-abcdef123456"
}

run "without_seed_code_the_repositories_start_empty" {
  command = plan

  assert {
    condition     = length(module.seed_push_function) == 0 && length(data.aws_ssm_parameter.catalog_bucket) == 0
    error_message = "No seed keys: no seed-push function, no catalog lookup."
  }

  assert {
    condition     = local.region == "eu-west-1" && local.bucket_name == "sagemaker-project-p-abcdef123456-123456789012"
    error_message = "Region and bucket name must be derived from the provider's region and the account."
  }
}

run "seed_bucket_from_ssm_when_not_given" {
  command = plan

  variables {
    seed_code_keys         = { model_build = "seed/a.zip" }
    seed_push_function_key = "lambda/seed-push/x.zip"
  }

  assert {
    condition     = local.seed_bucket == "catalog-from-ssm" && length(module.seed_push_function) == 1
    error_message = "Without seed_code_bucket_name, the catalog bucket comes from the SSM parameter."
  }
}

run "catalog_key_from_the_seed_push_package" {
  command = plan

  variables {
    seed_code_keys         = { model_build = "seed/a.zip" }
    seed_push_function_key = "lambda/seed-push/x.zip"
  }

  assert {
    condition     = local.seed_kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/99999999-8888-7777-6666-555555555555"
    error_message = "Without catalog_kms_key_arn, the key comes from the seed-push package's SSE-KMS header."
  }
}

run "given_catalog_key_is_not_looked_up" {
  command = plan

  variables {
    seed_code_keys         = { model_build = "seed/a.zip" }
    seed_push_function_key = "lambda/seed-push/x.zip"
    catalog_kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/given"
  }

  assert {
    condition     = local.seed_kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/given" && length(data.aws_s3_object.seed_push_function) == 0
    error_message = "A given catalog_kms_key_arn is used as is."
  }
}

run "sse_s3_catalog_needs_no_key" {
  command = plan

  variables {
    seed_code_keys         = { model_build = "seed/a.zip" }
    seed_push_function_key = "lambda/seed-push/x.zip"
  }

  override_data {
    target = data.aws_s3_object.seed_push_function[0]
    values = {
      server_side_encryption = "AES256"
      sse_kms_key_id         = ""
    }
  }

  assert {
    condition     = local.seed_kms_key_arn == null
    error_message = "An SSE-S3 catalog bucket needs no kms:Decrypt."
  }
}

run "stages_reach_the_deploy_build" {
  command = plan

  variables {
    deploy_stages = [{ name = "staging" }, { name = "qa", serverless = { memory_size_in_mb = 2048, max_concurrency = 5 } }, { name = "prod", instance_count = 2 }]
  }

  assert {
    condition     = [for s in jsondecode(local.deploy_stages_json) : s.name] == ["staging", "qa", "prod"] && jsondecode(local.deploy_stages_json)[1].serverless.max_concurrency == 5
    error_message = "The deploy build must receive the ordered stages with their settings."
  }

  assert {
    condition     = output.deploy_stage_names == ["staging", "qa", "prod"]
    error_message = "deploy_stage_names must list the stages in order."
  }
}

run "rejects_project_name_with_underscore" {
  command = plan
  variables {
    project_name = "my_project"
  }
  expect_failures = [var.project_name]
}

run "rejects_project_name_too_long" {
  command = plan
  variables {
    project_name = "a-project-name-longer-than-32-chars"
  }
  expect_failures = [var.project_name]
}

run "rejects_project_id_without_prefix" {
  command = plan
  variables {
    project_id = "abcdef123456"
  }
  expect_failures = [var.project_id]
}

run "rejects_duplicate_stages" {
  command = plan
  variables {
    deploy_stages = [{ name = "prod" }, { name = "prod" }]
  }
  expect_failures = [var.deploy_stages]
}

run "rejects_more_than_ten_stages" {
  command = plan
  variables {
    deploy_stages = [for i in range(11) : { name = "stage-${i}" }]
  }
  expect_failures = [var.deploy_stages]
}

# No deploy stage: a model building and training project (products/build-train). An any-git model-build repository
# exports to the bucket, whose object starts the build; nothing deploys.
run "without_stages_the_project_builds_and_deploys_nothing" {
  command = plan

  variables {
    deploy_stages            = []
    seed_code_keys           = { model_build = "seed/b.zip", model_deploy = "seed/d.zip" }
    git_seed_function_key    = "lambda/git-seed/x.zip"
    git_webhook_function_key = "lambda/git-webhook/x.zip"
    source_control = {
      provider   = "anygit"
      secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-AbCdEf"
      repositories = {
        model_build = { repository_url = "https://git.example.com/ml/modelbuild.git" }
      }
    }
  }

  assert {
    condition     = keys(module.repository) == ["model_build"] && keys(module.codebuild) == ["model_build"] && length(module.model_deploy_pipeline) == 0
    error_message = "Without stages there is no model-deploy repository, deploy build project or pipeline."
  }

  assert {
    condition     = keys(module.event_rules[0].rule_arns) == ["model-build-code"]
    error_message = "Only the build export starts a pipeline: no deploy export rule, no approval rule."
  }

  assert {
    condition     = !contains(keys(module.service_role), "model_deploy") && keys(local.bucket_writers) == ["PipelineOutputsOnlyByThePipeline", "SourcesOnlyByTheWebhook"]
    error_message = "No deploy role, and no guard of a deploy state that nothing writes."
  }

  assert {
    condition     = keys(module.git_webhook[0].urls) == ["model_build"] && output.model_deploy_repository == null && output.model_deploy_pipeline_name == null
    error_message = "The webhook exports the model-build repository only; the deploy outputs are null."
  }
}

run "without_stages_github_actions_has_the_build_role_and_no_dispatch" {
  command = plan

  variables {
    deploy_stages                = []
    seed_code_keys               = { model_build = "seed/b.zip" }
    git_seed_function_key        = "lambda/git-seed/x.zip"
    github_dispatch_function_key = "lambda/github-dispatch/x.zip"
    source_control = {
      provider       = "codeconnections"
      connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      repositories   = { model_build = { full_repository_id = "ml-team/demo-modelbuild" } }
    }
    ci = {
      provider = "github-actions"
      github = {
        token_secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:github-AbCdEf"
        oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
      }
    }
  }

  assert {
    condition     = keys(module.github_actions_role) == ["model_build"] && length(module.github_dispatch) == 0 && length(module.event_rules) == 0
    error_message = "The build workflow's role only: no deploy role, no dispatch of approvals, no rule."
  }
}

run "rejects_a_deploy_repository_without_stages" {
  command = plan
  variables {
    deploy_stages = []
    source_control = {
      provider       = "codeconnections"
      connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      repositories = {
        model_build  = { full_repository_id = "ml-team/demo-modelbuild" }
        model_deploy = { full_repository_id = "ml-team/demo-modeldeploy" }
      }
    }
  }
  expect_failures = [var.source_control]
}

run "rejects_serverless_with_autoscaling" {
  command = plan
  variables {
    deploy_stages = [{ name = "prod", serverless = { memory_size_in_mb = 2048, max_concurrency = 5 }, autoscaling = { min_capacity = 1, max_capacity = 2, target_invocations_per_instance = 10 } }]
  }
  expect_failures = [var.deploy_stages]
}

run "rejects_non_ml_instance" {
  command = plan
  variables {
    deploy_stages = [{ name = "prod", instance_type = "m5.large" }]
  }
  expect_failures = [var.deploy_stages]
}

run "rejects_bad_log_retention" {
  command = plan
  variables {
    log_retention_in_days = 100
  }
  expect_failures = [var.log_retention_in_days]
}

run "rejects_unknown_seed_repository" {
  command = plan
  variables {
    seed_code_keys = { docs = "seed/docs.zip" }
  }
  expect_failures = [var.seed_code_keys]
}

run "the_teardown_reads_its_code_from_the_catalog_bucket" {
  command = plan

  variables {
    teardown_function_key = "lambda/project-teardown/1.0.0/ddd.zip"
  }

  assert {
    condition     = length(module.project_teardown) == 1 && local.seed_bucket == "catalog-from-ssm" && length(module.seed_push_function) == 0
    error_message = "A project with the teardown key (even without seed code) gets the teardown, its code read from the catalog bucket named by SSM."
  }
}

run "experiment_branches_without_the_packaged_function" {
  command = plan

  variables {
    experiment_branches = true
  }

  assert {
    condition     = output.experiments.codepipeline_name == "demo-p-abcdef123456-experiments" && length(module.branch_pipelines) == 0
    error_message = "Outside a packaged product the experiments pipeline is planned, without the branch function."
  }
}

run "rejects_experiment_branches_on_anygit" {
  command = plan
  variables {
    experiment_branches = true
    source_control = {
      provider   = "anygit"
      secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-AbCdEf"
      repositories = {
        model_build  = { repository_url = "https://git.example.com/ml/modelbuild.git" }
        model_deploy = { repository_url = "https://git.example.com/ml/modeldeploy.git" }
      }
    }
  }
  expect_failures = [var.experiment_branches]
}

run "rejects_experiment_branches_when_the_group_name_is_too_long" {
  command = plan
  variables {
    experiment_branches = true
    project_name        = "a-project-name-of-32-characters1"
    project_id          = "p-abcdefghijklmnopqr"
  }
  expect_failures = [var.experiment_branches]
}

run "unknown_seed_code_set_is_refused" {
  command = plan

  # No artifacts.json beside this root: the module allows no set (tests/modules/mlops_project/test_seed_code_sets.py
  # plans a product whose artifacts.json allows two).
  variables {
    seed_code_set = "abalone-xgboost"
  }

  expect_failures = [var.seed_code_set]
}

run "without_seed_code_sets_none_is_chosen" {
  command = plan

  assert {
    condition     = output.seed_code_set == null && length(local.seed_code_sets) == 0
    error_message = "Without artifacts.json and seed_code_set, no set is chosen."
  }
}

run "github_actions_ci_replaces_the_pipelines_with_workflow_roles" {
  command = plan

  # The catalog's GitHub OIDC provider, as catalog/ publishes it in SSM (the module validates the value it reads).
  override_data {
    target = data.aws_ssm_parameter.github_oidc_provider[0]
    values = { value = "arn:aws:iam::123456789012:oidc-provider/github.example.com/_services/token" }
  }

  variables {
    seed_code_keys               = { model_build = "seed/b.zip", model_deploy = "seed/d.zip" }
    git_seed_function_key        = "lambda/git-seed/x.zip"
    github_dispatch_function_key = "lambda/github-dispatch/x.zip"
    source_control = {
      provider = "anygit"
      # GitHub Enterprise Server without a connection: the repositories by URL, the owner/name from the path.
      secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghes-AbCdEf"
      repositories = {
        model_build  = { repository_url = "https://github.example.com/ml-team/demo-modelbuild.git" }
        model_deploy = { repository_url = "https://github.example.com/ml-team/demo-modeldeploy", branch = "release" }
      }
    }
    ci = {
      provider = "github-actions"
      github = {
        token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghes-token-AbCdEf"
        api_url          = "https://github.example.com/api/v3"
      }
    }
  }

  assert {
    condition     = length(module.model_build_pipeline) == 0 && length(module.model_deploy_pipeline) == 0 && length(module.event_rules) == 0 && length(module.codebuild) == 0 && length(module.git_webhook) == 0
    error_message = "GitHub Actions builds and deploys: no CodePipeline, CodeBuild, push rules or any-git export webhook."
  }

  assert {
    condition     = local.github_repositories.model_build == "ml-team/demo-modelbuild" && local.github_repositories.model_deploy == "ml-team/demo-modeldeploy"
    error_message = "The owner/name of each repository comes from its URL's path (without .git)."
  }

  assert {
    condition     = toset(keys(module.service_role)) == toset(["sagemaker"]) && toset(keys(module.github_actions_role)) == toset(["model_build", "model_deploy"])
    error_message = "Only the SageMaker execution role is a service role; the build and deploy roles are the workflows'."
  }

  assert {
    condition     = local.github_oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/github.example.com/_services/token" && length(data.aws_ssm_parameter.github_oidc_provider) == 1
    error_message = "Without ci.github.oidc_provider_arn, the OIDC provider comes from the catalog's SSM parameter."
  }

  assert {
    condition     = module.github_dispatch[0].environment.GITHUB_API_URL == "https://github.example.com/api/v3" && jsondecode(module.github_dispatch[0].environment.REPOSITORIES) == ["ml-team/demo-modeldeploy"]
    error_message = "Approvals go to the model-deploy repository through the configured API."
  }

  assert {
    condition = local.github_actions_config.model_deploy.branch == "release" && local.github_actions_config.model_deploy.dispatch_event_type == "model-approval" && toset(keys(local.github_actions_config.model_deploy.environment)) == toset([
      "SAGEMAKER_PROJECT_NAME", "SAGEMAKER_PROJECT_ID", "ARTIFACT_BUCKET", "KMS_KEY_ARN", "MODEL_PACKAGE_GROUP_NAME", "SAGEMAKER_EXECUTION_ROLE_ARN", "DEPLOY_STAGES_JSON",
      ]) && toset(keys(local.github_actions_config.model_build.environment)) == toset([
      "SAGEMAKER_PROJECT_NAME", "SAGEMAKER_PROJECT_ID", "ARTIFACT_BUCKET", "KMS_KEY_ARN", "MODEL_PACKAGE_GROUP_NAME", "SAGEMAKER_PIPELINE_NAME", "SAGEMAKER_PIPELINE_ROLE_ARN",
    ])
    error_message = "Each repository's .github/sagemaker-project.json holds what its CodeBuild projects would have had."
  }
}

run "rejects_github_actions_on_codecommit" {
  command = plan
  variables {
    ci = { provider = "github-actions", github = { token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:t-AbCdEf" } }
  }
  expect_failures = [var.ci]
}

run "rejects_github_actions_without_its_settings" {
  command = plan
  variables {
    source_control = {
      provider       = "codeconnections"
      connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      repositories   = { model_build = { full_repository_id = "ml-team/a" }, model_deploy = { full_repository_id = "ml-team/b" } }
    }
    ci = { provider = "github-actions" }
  }
  expect_failures = [var.ci]
}

run "rejects_github_actions_on_a_gitlab_subgroup" {
  command = plan
  variables {
    source_control = {
      provider       = "codeconnections"
      connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      repositories   = { model_build = { full_repository_id = "risk/fraud/modelbuild" }, model_deploy = { full_repository_id = "risk/fraud/modeldeploy" } }
    }
    ci = { provider = "github-actions", github = { token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:t-AbCdEf" } }
  }
  expect_failures = [var.ci]
}

run "rejects_experiment_branches_with_github_actions" {
  command = plan
  variables {
    experiment_branches = true
    source_control = {
      provider       = "codeconnections"
      connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      repositories   = { model_build = { full_repository_id = "ml-team/a" }, model_deploy = { full_repository_id = "ml-team/b" } }
    }
    ci = { provider = "github-actions", github = { token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:t-AbCdEf" } }
  }
  expect_failures = [var.ci]
}
