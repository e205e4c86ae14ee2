# The "model building, training, and deployment" template: composes the modules; the only glue is the
# IAM policy documents (iam.tf) and the names (locals.tf).

module "kms_key" {
  source = "../kms-key"

  account_id              = local.account_id
  region                  = local.region
  alias_name              = trimprefix(local.kms_alias, "alias/")
  description             = "Artifacts, logs and endpoints of SageMaker project ${local.project_name} (${local.project_id})"
  deletion_window_in_days = 30
  via_services            = ["codebuild", "codecommit", "codepipeline", "lambda", "s3", "sagemaker"]
  service_principals      = ["logs.${local.region}.amazonaws.com"]
  tags                    = local.tags
}

module "artifact_bucket" {
  source = "../artifact-bucket"

  name                   = local.bucket_name
  kms_key_arn            = module.kms_key.arn
  force_destroy          = true # deleting the project (terraform destroy) empties it, after the teardown ran
  access_log_bucket_name = local.access_log_bucket_name
  access_log_prefix      = "${local.bucket_name}/"
  policy_documents       = [data.aws_iam_policy_document.bucket_guard.json]
  # Any-git sources: the exported zips' creation starts the pipelines.
  enable_eventbridge_notifications = local.anygit
  tags                             = local.tags
}

# What the project's roles write into the bucket stays theirs: the deploy state of each stage (deploy/, written by
# the deploy builds' Terraform), the pipeline's outputs (<pipeline>/..., the model.tar.gz a lead approves) and, for
# any-git repositories, the exported sources the pipelines build and deploy (sources/, written by the webhook) can be
# overwritten or deleted by no other principal, whatever its identity policies (e.g. AmazonSageMakerFullAccess on
# *sagemaker* buckets) say. Deleting object versions (the project's teardown) is not concerned.
locals {
  bucket_writers = merge({
    PipelineOutputsOnlyByThePipeline = { prefix = "${local.sagemaker_pipeline_name}/", roles = [local.role_arns.model_build, local.role_arns.sagemaker] }
    }, local.deploys ? {
    DeployStateOnlyByTheDeployRole = { prefix = "deploy/", roles = [local.role_arns.model_deploy] }
    } : {}, local.anygit ? {
    SourcesOnlyByTheWebhook = { prefix = "sources/", roles = [local.role_arns.git_webhook] }
  } : {})
}

data "aws_iam_policy_document" "bucket_guard" {
  dynamic "statement" {
    for_each = local.bucket_writers
    content {
      sid       = statement.key
      effect    = "Deny"
      actions   = ["s3:DeleteObject", "s3:PutObject"]
      resources = ["arn:${local.partition}:s3:::${local.bucket_name}/${statement.value.prefix}*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "aws:PrincipalArn"
        values   = statement.value.roles
      }
    }
  }

  # Team isolation: callers of another team (aws:PrincipalTag/team set and different) neither write nor delete
  # anything here. Reads are refused by the key (personas grant it through S3 to the key's team only).
  dynamic "statement" {
    for_each = local.team == null ? [] : [local.team]
    content {
      sid       = "OtherTeamsCannotWrite"
      effect    = "Deny"
      actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"]
      resources = ["arn:${local.partition}:s3:::${local.bucket_name}/*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "Null"
        variable = "aws:PrincipalTag/team"
        values   = ["false"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "aws:PrincipalTag/team"
        values   = [statement.value]
      }
    }
  }
}

module "model_package_group" {
  source = "../model-package-group"

  account_id  = local.account_id
  region      = local.region
  name        = local.model_package_group_name
  description = "Models of SageMaker project ${local.project_name} (${local.project_id})"
  tags        = local.tags
}

# Experimentation branches register here, never in the production group: the experiments roles cannot write there.
module "experiment_model_package_group" {
  count  = local.experiments ? 1 : 0
  source = "../model-package-group"

  account_id  = local.account_id
  region      = local.region
  name        = local.experiment_model_package_group_name
  description = "Models trained on experimentation branches of SageMaker project ${local.project_name} (${local.project_id}); not deployed"
  tags        = local.tags
}

# The project's service roles: one per service and job, each with its own least-privilege policy (iam.tf) and the
# catalog's permissions boundary.
locals {
  service_roles = merge({
    sagemaker = { service = "sagemaker.amazonaws.com", description = "SageMaker execution role of project ${local.project_name}: pipeline jobs and endpoints", policy = data.aws_iam_policy_document.execution_role["sagemaker"].json }
    }, local.codepipeline ? {
    model_build  = { service = "codebuild.amazonaws.com", description = "CodeBuild role of project ${local.project_name}: runs the SageMaker Pipeline", policy = data.aws_iam_policy_document.model_build.json }
    codepipeline = { service = "codepipeline.amazonaws.com", description = "CodePipeline role of project ${local.project_name}", policy = data.aws_iam_policy_document.codepipeline[0].json }
    } : {}, local.codepipeline && local.deploys ? {
    model_deploy = { service = "codebuild.amazonaws.com", description = "CodeBuild role of project ${local.project_name}: deploys and tests the endpoints", policy = data.aws_iam_policy_document.model_deploy[0].json }
    } : {}, local.experiments ? {
    experiment_sagemaker = { service = "sagemaker.amazonaws.com", description = "SageMaker execution role of the experimentation branches of project ${local.project_name}: their pipeline jobs, registering into the experiments group only", policy = data.aws_iam_policy_document.execution_role["experiment_sagemaker"].json }
    experiment_build     = { service = "codebuild.amazonaws.com", description = "CodeBuild role of the experimentation branches of project ${local.project_name}: runs each branch's SageMaker Pipeline", policy = data.aws_iam_policy_document.experiment_build[0].json }
  } : {})
}

module "service_role" {
  for_each = local.service_roles
  source   = "../iam-service-role"

  account_id               = local.account_id
  name                     = local.role_names[each.key]
  description              = each.value.description
  service_principals       = [each.value.service]
  policy_documents         = { (each.key) = each.value.policy }
  permissions_boundary_arn = local.permissions_boundary_arn
  tags                     = local.tags
}

moved {
  from = module.sagemaker_role
  to   = module.service_role["sagemaker"]
}

moved {
  from = module.model_build_role
  to   = module.service_role["model_build"]
}

moved {
  from = module.model_deploy_role
  to   = module.service_role["model_deploy"]
}

moved {
  from = module.codepipeline_role
  to   = module.service_role["codepipeline"]
}

# GitHub Actions CI: the workflows of each repository assume its role (the same names and policies as the CodeBuild
# roles of the CodePipeline CI, without CodeBuild's logs) through the account's GitHub OIDC provider: the model-build
# role from the model-build repository's branch, the model-deploy role from the model-deploy repository's branch and
# from its GitHub environments named after the deploy stages (the deploy workflow's per-stage jobs, where GitHub's
# required reviewers are the approvals).
module "github_actions_role" {
  for_each = local.github_repositories
  source   = "../github-oidc-role"

  name              = local.role_names[each.key]
  description       = "GitHub Actions role of project ${local.project_name}: ${each.key == "model_build" ? "runs the SageMaker Pipeline" : "deploys and tests the endpoints"} (workflows of ${each.value})"
  oidc_provider_arn = local.github_oidc_provider_arn
  # The build workflow waits for the SageMaker Pipeline with these credentials, up to GitHub's 6 hours for a job.
  max_session_duration = each.key == "model_build" ? 21600 : 3600
  repositories = [{
    full_name    = each.value
    branches     = [var.source_control.repositories[each.key].branch]
    environments = each.key == "model_deploy" ? [for s in var.deploy_stages : s.name] : []
  }]
  policy_documents         = { (each.key) = each.key == "model_build" ? data.aws_iam_policy_document.model_build.json : data.aws_iam_policy_document.model_deploy[0].json }
  permissions_boundary_arn = local.permissions_boundary_arn
  tags                     = local.tags
}

# What the workflows read (.github/sagemaker-project.json, added to each repository's seed commit): the role to
# assume, the region, the branch the project follows and the environment the CodeBuild projects would have had. Its
# values come from the resources themselves, so that the seed push (which starts the first workflow run) follows
# the roles with their policies, the bucket, the key and the model package group.
locals {
  github_actions_environment = {
    SAGEMAKER_PROJECT_NAME   = local.project_name
    SAGEMAKER_PROJECT_ID     = local.project_id
    ARTIFACT_BUCKET          = module.artifact_bucket.name
    KMS_KEY_ARN              = module.kms_key.arn
    MODEL_PACKAGE_GROUP_NAME = module.model_package_group.name
  }
  github_actions_config = { for k in keys(local.github_repositories) : k => merge({
    aws_region     = local.region
    role_to_assume = module.github_actions_role[k].arn
    branch         = var.source_control.repositories[k].branch
    environment = merge(local.github_actions_environment, k == "model_build" ? {
      SAGEMAKER_PIPELINE_NAME     = local.sagemaker_pipeline_name
      SAGEMAKER_PIPELINE_ROLE_ARN = module.service_role["sagemaker"].arn
      } : {
      SAGEMAKER_EXECUTION_ROLE_ARN = module.service_role["sagemaker"].arn
      DEPLOY_STAGES_JSON           = local.deploy_stages_json
    })
  }, k == "model_deploy" ? { dispatch_event_type = local.github_dispatch_event_type } : {}) }
  github_dispatch_event_type = "model-approval"
}

module "seed_push_function" {
  count  = length(local.seed_code_keys) > 0 ? 1 : 0
  source = "../seed-push-function"

  account_id               = local.account_id
  region                   = local.region
  name                     = "${local.short_prefix}-seed-push"
  code_bucket              = local.seed_bucket
  code_key                 = local.seed_function_key
  kind                     = local.codecommit ? "codecommit" : "git"
  seed_kms_key_arn         = local.seed_kms_key_arn
  repository_arns          = values(local.repository_arns)
  connection_arns          = compact([var.source_control.connection_arn])
  secret_arns              = compact([var.source_control.secret_arn])
  timeout_in_seconds       = local.codecommit ? 120 : 300 # a push over the internet, in parts for a large seed
  kms_key_arn              = module.kms_key.arn
  permissions_boundary_arn = local.permissions_boundary_arn
  log_retention_in_days    = var.log_retention_in_days
  tags                     = local.tags
}

# Deleting the project removes what its pipelines created (endpoints, their autoscaling, endpoint configs, models,
# the SageMaker Pipeline, the model packages) before Terraform deletes the group, the bucket and the key.
module "project_teardown" {
  count  = local.teardown_function_key == null ? 0 : 1
  source = "../project-teardown"

  account_id               = local.account_id
  region                   = local.region
  project_name             = local.project_name
  project_id               = local.project_id
  model_package_group_name = local.model_package_group_name
  sagemaker_pipeline_name  = local.sagemaker_pipeline_name
  destroy_after = merge({
    artifact_bucket     = module.artifact_bucket.name
    model_package_group = module.model_package_group.arn
    kms_key             = module.kms_key.arn
  }, { for group in module.experiment_model_package_group : "experiment_model_package_group" => group.arn })
  # Experimentation branches: their pipelines (run as the experiments role) and the experiments group's packages.
  experiments = local.experiments ? { model_package_group_name = local.experiment_model_package_group_name, pipeline_role_arn = local.role_arns.experiment_sagemaker } : null
  function = {
    name                  = "${local.short_prefix}-teardown"
    code_bucket           = local.seed_bucket
    code_key              = local.teardown_function_key
    kms_key_arn           = module.kms_key.arn
    log_retention_in_days = var.log_retention_in_days
  }
  permissions_boundary_arn = local.permissions_boundary_arn
  tags                     = local.tags
}

module "repository" {
  for_each = local.repositories
  source   = "../code-repository"

  provider_type = var.source_control.provider

  # CodeCommit: a repository of the project.
  name        = local.codecommit ? each.value : null
  description = local.codecommit ? "${each.key == "model_build" ? "Model build" : "Model deploy"} code of SageMaker project ${local.project_name}" : null
  kms_key_arn = local.codecommit ? module.kms_key.arn : null

  # Third party: an existing repository behind the connection, or at its URL with the secret's credentials.
  connection_arn     = var.source_control.connection_arn
  full_repository_id = local.codecommit ? null : var.source_control.repositories[each.key].full_repository_id
  secret_arn         = var.source_control.secret_arn
  repository_url     = local.codecommit ? null : var.source_control.repositories[each.key].repository_url
  default_branch     = local.codecommit ? "main" : var.source_control.repositories[each.key].branch

  seed = contains(keys(local.seed_code_keys), each.key) ? {
    function_name  = module.seed_push_function[0].function_name
    bucket         = local.seed_bucket
    key            = local.seed_code_keys[each.key]
    commit_message = "Seed code of the build-train-deploy template"
    author_name    = "SageMaker project ${local.project_name}"
    author_email   = "noreply@sagemaker-mlops-templates.invalid"
    files          = local.github_actions ? { ".github/sagemaker-project.json" = "${jsonencode(local.github_actions_config[each.key])}\n" } : {}
  } : null
  tags = local.tags
}

module "codebuild" {
  for_each = local.codebuild_settings
  source   = "../codebuild-project"

  name                  = local.codebuild_projects[each.key]
  description           = each.value.description
  service_role_arn      = each.value.role_arn
  encryption_key_arn    = module.kms_key.arn
  build_image           = var.codebuild_image
  buildspec             = each.value.buildspec
  timeout_in_minutes    = each.value.timeout_in_minutes
  environment_variables = merge(local.codebuild_environment, each.value.environment_variables)
  log_retention_in_days = var.log_retention_in_days
  tags                  = local.tags
}

locals {
  # An any-git repository's pipeline reads the zip the webhook exports (nothing for the other kinds).
  s3_sources = { for k, object_key in local.source_object_keys : k => {
    for attribute, value in { provider = "s3", bucket = local.bucket_name, object_key = object_key } : attribute => value if local.anygit && local.codepipeline
  } }
}

# Any-git repositories: their push webhook exports the branch to the bucket (modules/git-webhook) for the pipelines;
# GitHub Actions workflows start on the push themselves.
module "git_webhook" {
  count  = local.anygit && local.codepipeline && local.git_webhook_function_key != null ? 1 : 0
  source = "../git-webhook"

  account_id               = local.account_id
  region                   = local.region
  name                     = local.role_names.git_webhook
  bucket_name              = local.bucket_name # known at plan (its policy shows in the plan)
  code_bucket              = local.seed_bucket
  code_key                 = local.git_webhook_function_key
  kms_key_arn              = module.kms_key.arn
  secret_arn               = var.source_control.secret_arn
  targets                  = { for k, r in var.source_control.repositories : k => { repository_url = r.repository_url, branch = r.branch, object_key = local.source_object_keys[k] } }
  permissions_boundary_arn = local.permissions_boundary_arn
  log_retention_in_days    = var.log_retention_in_days
  tags                     = local.tags

  # The first export (the seed code) follows the seed push, into the bucket. (Not a module depends_on: that would
  # defer the module's policy documents to apply, out of the plan's review.)
  export_after = jsonencode({ bucket = module.artifact_bucket.name, seeds = { for k, r in module.repository : k => r.seed_result } })
}

module "model_build_pipeline" {
  count  = local.codepipeline ? 1 : 0
  source = "../mlops-pipeline"

  name                 = local.pipelines.model_build
  role_arn             = module.service_role["codepipeline"].arn
  artifact_bucket_name = module.artifact_bucket.name
  kms_key_arn          = module.kms_key.arn
  source_repository    = merge(module.repository["model_build"].source, local.s3_sources.model_build)
  build                = { project_name = module.codebuild["model_build"].name }
  tags                 = local.tags
}

module "model_deploy_pipeline" {
  count  = local.codepipeline && local.deploys ? 1 : 0
  source = "../mlops-pipeline"

  name                 = local.pipelines.model_deploy
  role_arn             = module.service_role["codepipeline"].arn
  artifact_bucket_name = module.artifact_bucket.name
  kms_key_arn          = module.kms_key.arn
  source_repository    = merge(module.repository["model_deploy"].source, local.s3_sources.model_deploy)
  build                = { project_name = module.codebuild["deploy_config"].name }
  stages = [for s in var.deploy_stages : {
    name                = s.name
    deploy_project_name = module.codebuild["deploy"].name
    test_project_name   = module.codebuild["test"].name
    requires_approval   = s.requires_approval
  }]
  tags = local.tags
}

# Experimentation branches: each branch's build (Source at the branch's commit, Name: the function names its SageMaker
# pipeline, Build: the model build's buildspec with the experiments role and group), and the function that starts
# it for CodeCommit pushes and deletes the pipelines of deleted branches.
module "branch_pipelines" {
  count  = local.experiments && local.branch_pipelines_function_key != null ? 1 : 0
  source = "../branch-pipelines"

  account_id              = local.account_id
  region                  = local.region
  name                    = local.role_names.branch_pipelines
  code_bucket             = local.seed_bucket
  code_key                = local.branch_pipelines_function_key
  kms_key_arn             = module.kms_key.arn
  project_name            = local.project_name
  project_id              = local.project_id
  main_branch             = local.main_branch
  codepipeline_name       = local.pipelines.experiments
  experiment_role_arn     = local.role_arns.experiment_sagemaker
  reserved_pipeline_names = [local.sagemaker_pipeline_name]
  repository = local.codecommit ? { kind = "codecommit", name = local.repositories.model_build, connection_arn = null, full_repository_id = null } : {
    kind               = "codeconnections"
    name               = null
    connection_arn     = var.source_control.connection_arn
    full_repository_id = var.source_control.repositories.model_build.full_repository_id
  }
  permissions_boundary_arn = local.permissions_boundary_arn
  log_retention_in_days    = var.log_retention_in_days
  tags                     = local.tags
}

module "experiments_pipeline" {
  count  = local.experiments ? 1 : 0
  source = "../mlops-pipeline"

  name                 = local.pipelines.experiments
  role_arn             = module.service_role["codepipeline"].arn
  artifact_bucket_name = module.artifact_bucket.name
  kms_key_arn          = module.kms_key.arn
  source_repository    = module.repository["model_build"].source
  # Branches build side by side. CodeConnections: a push to any branch but the main one starts it; CodeCommit: the
  # function starts it at the pushed commit with the branch in BranchName.
  execution_mode   = "PARALLEL"
  trigger_branches = local.codecommit ? null : { includes = ["**"], excludes = [local.main_branch] }
  variables        = local.codecommit ? [{ name = "BranchName", default_value = "", description = "The experimentation branch of this execution (set by the branch-pipelines function)" }] : []
  invoke = {
    stage_name      = "Name"
    namespace       = "Name"
    function_name   = local.role_names.branch_pipelines
    user_parameters = jsonencode({ branch = local.codecommit ? "#{variables.BranchName}" : "#{SourceVariables.BranchName}" })
  }
  build = {
    project_name          = module.codebuild["experiment"].name
    environment_variables = { SAGEMAKER_PIPELINE_NAME = "#{Name.SageMakerPipelineName}" }
  }
  tags = local.tags

  # The pipeline runs once when it is created: its Name stage needs the function then. (The function's module has no
  # data source whose reading this would defer.)
  depends_on = [module.branch_pipelines]
}

# The rules that start the pipelines: a push to a CodeCommit repository, or an any-git repository's export to the
# bucket (third-party pushes start them through the pipelines' own triggers), for each repository of the project;
# and a model approval, in a project that deploys.
locals {
  pipeline_arns = { model_build = one(module.model_build_pipeline[*].arn), model_deploy = one(module.model_deploy_pipeline[*].arn) }
  event_rules = merge({ for k, name in local.repositories : "${replace(k, "_", "-")}-code" => {
    description = "${local.codecommit ? "A push to ${name}" : "An export of ${local.repository_labels[k]}'s branch (its push webhook)"} ${k == "model_build" ? "retrains the model" : "redeploys the latest approved model"}"
    event_pattern = local.codecommit ? module.repository[k].event_pattern : jsonencode({
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail        = { bucket = { name = [local.bucket_name] }, object = { key = [local.source_object_keys[k]] } }
    })
    target_pipeline_arn = local.pipeline_arns[k]
    } if local.codecommit || local.anygit }, local.deploys ? {
    model-approval = {
      description = "Approving or rejecting a model package of ${local.model_package_group_name} deploys the latest approved one"
      event_pattern = jsonencode({
        source        = ["aws.sagemaker"]
        "detail-type" = ["SageMaker Model Package State Change"]
        detail = {
          ModelPackageGroupName = [local.model_package_group_name]
          ModelApprovalStatus   = ["Approved", "Rejected"]
        }
      })
      target_pipeline_arn = local.pipeline_arns.model_deploy
    }
  } : {})
}

module "event_rules" {
  count  = local.codepipeline && length(local.event_rules) > 0 ? 1 : 0
  source = "../event-rules"

  account_id               = local.account_id
  name_prefix              = local.short_prefix # rule names are limited to 64 characters
  permissions_boundary_arn = local.permissions_boundary_arn
  rules                    = local.event_rules
  tags                     = local.tags
}

moved {
  from = module.model_build_pipeline
  to   = module.model_build_pipeline[0]
}

moved {
  from = module.model_deploy_pipeline
  to   = module.model_deploy_pipeline[0]
}

moved {
  from = module.event_rules
  to   = module.event_rules[0]
}

# GitHub Actions CI: a model approval or rejection reaches the model-deploy repository's workflow as a
# repository_dispatch, sent by the github-dispatch function with the token of the secret.
module "github_dispatch" {
  count  = local.github_actions && local.deploys && local.github_dispatch_function_key != null ? 1 : 0
  source = "../github-dispatch"

  account_id               = local.account_id
  region                   = local.region
  name                     = "${local.short_prefix}-github-dispatch"
  code_bucket              = local.seed_bucket
  code_key                 = local.github_dispatch_function_key
  kms_key_arn              = module.kms_key.arn
  model_package_group_name = local.model_package_group_name
  repositories             = [local.github_repositories.model_deploy]
  token_secret_arn         = var.ci.github.token_secret_arn
  api_url                  = var.ci.github.api_url
  event_type               = local.github_dispatch_event_type
  permissions_boundary_arn = local.permissions_boundary_arn
  log_retention_in_days    = var.log_retention_in_days
  tags                     = local.tags
}
