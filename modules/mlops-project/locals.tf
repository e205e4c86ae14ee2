data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# aws_region's name/id attributes are deprecated in hashicorp/aws 6.x and its region attribute does not exist
# in 5.x; its endpoint (ec2.<region>.<dns suffix>) is stable in both.
data "aws_region" "current" {}

# What `mlops-templates package` writes into a product's artifact (artifacts.json, beside the product's root .tf
# files): where the seed code and the functions are. Read here, so that a product is only its module call; absent
# in the repository (plan tests), where the repositories start empty and there is no teardown. Variables win.
locals {
  artifacts_file = "${path.root}/artifacts.json"
  artifacts      = jsondecode(fileexists(local.artifacts_file) ? file(local.artifacts_file) : "{}")

  # Seed-code sets the product allows (by name: the keys of their zips), the default first in product.yaml;
  # var.seed_code_set chooses one (validated against them), else the default. Older artifacts name only
  # seed_code_keys (one implicit set).
  seed_code_sets                = { for name, keys in try(local.artifacts.seed_code_sets, {}) : name => tomap(keys) }
  seed_code_set                 = var.seed_code_set != null ? var.seed_code_set : try(tostring(local.artifacts.default_seed_code_set), null)
  seed_code_keys                = length(var.seed_code_keys) > 0 ? var.seed_code_keys : local.seed_code_set != null ? try(local.seed_code_sets[local.seed_code_set], {}) : try(tomap(local.artifacts.seed_code_keys), {})
  seed_push_function_key        = var.seed_push_function_key != null ? var.seed_push_function_key : try(tostring(local.artifacts.seed_push_function_key), null)
  git_seed_function_key         = var.git_seed_function_key != null ? var.git_seed_function_key : try(tostring(local.artifacts.git_seed_function_key), null)
  teardown_function_key         = var.teardown_function_key != null ? var.teardown_function_key : try(tostring(local.artifacts.teardown_function_key), null)
  git_webhook_function_key      = var.git_webhook_function_key != null ? var.git_webhook_function_key : try(tostring(local.artifacts.git_webhook_function_key), null)
  branch_pipelines_function_key = var.branch_pipelines_function_key != null ? var.branch_pipelines_function_key : try(tostring(local.artifacts.branch_pipelines_function_key), null)
  github_dispatch_function_key  = var.github_dispatch_function_key != null ? var.github_dispatch_function_key : try(tostring(local.artifacts.github_dispatch_function_key), null)
}

# GitHub Actions CI (var.ci): the account's GitHub OIDC provider, the catalog's unless given.
data "aws_ssm_parameter" "github_oidc_provider" {
  count = var.ci.provider == "github-actions" && try(var.ci.github.oidc_provider_arn, null) == null ? 1 : 0

  name = var.github_oidc_provider_parameter_name
}

data "aws_ssm_parameter" "catalog_bucket" {
  count = var.seed_code_bucket_name == null && (length(local.seed_code_keys) > 0 || local.teardown_function_key != null || (local.github_actions && local.github_dispatch_function_key != null)) ? 1 : 0

  name = var.catalog_bucket_parameter_name
}

# What the catalog publishes under its parameter path (access log bucket): read by path, so that a catalog without
# it (or a plan without a catalog) leaves access logging off instead of failing.
data "aws_ssm_parameters_by_path" "catalog" {
  count = var.access_log_bucket_name == null && var.access_log_bucket_parameter_name != null ? 1 : 0

  path = regex("^(.*)/[^/]+$", var.access_log_bucket_parameter_name)[0]
}

# The team of the project: the Service Catalog engine sets the provisioned product's tags (team among them: the
# catalog enforces it) as the provider's default tags.
data "aws_default_tags" "current" {}

# The catalog bucket's key, read from the seed-push package's own encryption header when not given: the
# function's role needs kms:Decrypt on it to read the seed code (the key policy alone does not grant it).
data "aws_s3_object" "seed_push_function" {
  count = var.catalog_kms_key_arn == null && length(local.seed_code_keys) > 0 ? 1 : 0

  bucket = local.seed_bucket
  key    = local.seed_function_key
}

locals {
  account_id   = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
  region       = split(".", data.aws_region.current.endpoint)[1]
  project_name = var.project_name
  project_id   = var.project_id

  # Names: the project id makes them unique; the project name makes them readable.
  prefix       = "${local.project_name}-${local.project_id}"
  short_prefix = "mlops-${local.project_id}" # for names with tight limits (IAM roles: 64)
  bucket_name  = "sagemaker-project-${local.project_id}-${local.account_id}"
  kms_alias    = "alias/sagemaker-project/${local.project_id}"
  role_names = {
    git_webhook  = "${local.short_prefix}-git-webhook"
    sagemaker    = "${local.short_prefix}-sagemaker"
    model_build  = "${local.short_prefix}-modelbuild"
    model_deploy = "${local.short_prefix}-modeldeploy"
    codepipeline = "${local.short_prefix}-codepipeline"
    # Experimentation branches: their builds and pipelines run as roles of their own.
    experiment_build     = "${local.short_prefix}-exp-build"
    experiment_sagemaker = "${local.short_prefix}-exp-sagemaker"
    branch_pipelines     = "${local.short_prefix}-branch-pipelines"
  }
  role_arns = { for k, name in local.role_names : k => "arn:${local.partition}:iam::${local.account_id}:role/${name}" }

  # Every role of the project carries the catalog's boundary (catalog/boundaries): the launch role may create no
  # role without it.
  permissions_boundary_arn = coalesce(var.permissions_boundary_arn, "arn:${local.partition}:iam::${local.account_id}:policy/mlops-templates/mlops-project-boundary")
  team                     = try(coalesce(lookup(var.tags, "team", null), try(data.aws_default_tags.current.tags["team"], null)), null)
  access_log_bucket_name = var.access_log_bucket_name != null ? var.access_log_bucket_name : try(nonsensitive(
    data.aws_ssm_parameters_by_path.catalog[0].values[index(data.aws_ssm_parameters_by_path.catalog[0].names, var.access_log_bucket_parameter_name)]
  ), null)

  tags = merge(var.tags, {
    "sagemaker:project-name" = local.project_name
    "sagemaker:project-id"   = local.project_id
  })

  # SageMaker's own project templates name them sagemaker-<project name>-<project id>-modelbuild/-modeldeploy, which
  # the personas' and AmazonSageMakerFullAccess's CodeCommit grants (*sagemaker*) expect.
  # A project without deploy stages (a model building and training project) has no model-deploy repository.
  deploys = length(var.deploy_stages) > 0
  repositories = { for k, name in {
    model_build  = "sagemaker-${local.project_name}-${local.project_id}-modelbuild"
    model_deploy = "sagemaker-${local.project_name}-${local.project_id}-modeldeploy"
  } : k => name if k == "model_build" || local.deploys }
  codecommit = var.source_control.provider == "codecommit"
  anygit     = var.source_control.provider == "anygit"
  # How descriptions name each repository: the CodeCommit name, the third-party full id or the any-git URL.
  repository_labels = { for k, name in local.repositories : k => try(coalesce(var.source_control.repositories[k].repository_url, var.source_control.repositories[k].full_repository_id), name) }
  # Any-git repositories reach their pipelines as zips the webhook writes here (the S3 sources' objects).
  source_object_keys = { for k in keys(local.repositories) : k => "sources/${k}.zip" }
  repository_arns    = local.codecommit ? { for k, name in local.repositories : k => "arn:${local.partition}:codecommit:${local.region}:${local.account_id}:${name}" } : {}
  # Third-party repositories: the connection, under both of its ARN spellings (CodeStar Connections was renamed
  # CodeConnections; IAM matches each action against the ARN as the caller names it).
  connection_arns = var.source_control.connection_arn == null ? [] : distinct([
    replace(var.source_control.connection_arn, ":codestar-connections:", ":codeconnections:"),
    replace(var.source_control.connection_arn, ":codeconnections:", ":codestar-connections:"),
  ])
  seed_function_key = local.codecommit ? local.seed_push_function_key : local.git_seed_function_key

  # GitHub Actions CI: the workflows of the two repositories build and deploy (no CodePipeline, no CodeBuild); the
  # model-build and model-deploy roles are theirs, assumed through the account's GitHub OIDC provider.
  github_actions = var.ci.provider == "github-actions"
  codepipeline   = !local.github_actions
  github_oidc_provider_arn = !local.github_actions ? null : (
    try(var.ci.github.oidc_provider_arn, null) != null ? var.ci.github.oidc_provider_arn : nonsensitive(data.aws_ssm_parameter.github_oidc_provider[0].value)
  )
  # owner/name of each GitHub repository: the connection's full id, or the path of an any-git URL.
  github_repositories = !local.github_actions ? {} : { for k, r in var.source_control.repositories : k => (
    r.full_repository_id != null ? r.full_repository_id : regex("^https://[^/]+/([^/]+/[^/]+?)(?:\\.git)?/?$", r.repository_url)[0]
  ) }

  model_package_group_name = "${local.prefix}-models"
  sagemaker_pipeline_name  = "${local.prefix}-pipeline"
  codebuild_projects = merge(local.codepipeline ? {
    model_build = "${local.prefix}-modelbuild"
    } : {}, local.codepipeline && local.deploys ? {
    deploy_config = "${local.prefix}-deploy-config"
    deploy        = "${local.prefix}-deploy"
    test          = "${local.prefix}-test"
  } : {}, local.experiments ? { experiment = "${local.prefix}-experiment" } : {})
  pipelines = {
    model_build  = "${local.prefix}-modelbuild"
    model_deploy = "${local.prefix}-modeldeploy"
    experiments  = "${local.prefix}-experiments"
  }

  # Experimentation branches (var.experiment_branches): every branch of the model-build repository but the one the
  # project follows.
  experiments                         = var.experiment_branches
  experiment_model_package_group_name = "${local.prefix}-experiments"
  main_branch                         = local.codecommit ? "main" : var.source_control.repositories.model_build.branch
  branch_pipelines_function_arn       = "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${local.role_names.branch_pipelines}"

  seed_kms_key_arn = var.catalog_kms_key_arn != null ? var.catalog_kms_key_arn : (
    try(data.aws_s3_object.seed_push_function[0].server_side_encryption, "") == "aws:kms" ? data.aws_s3_object.seed_push_function[0].sse_kms_key_id : null
  )
  seed_bucket = var.seed_code_bucket_name != null ? var.seed_code_bucket_name : try(nonsensitive(data.aws_ssm_parameter.catalog_bucket[0].value), null)

  # What the deploy build (seed_code/.../model-deploy/build.py) receives in DEPLOY_STAGES_JSON.
  deploy_stages_json = jsonencode([for s in var.deploy_stages : {
    name              = s.name
    instance_type     = s.instance_type
    instance_count    = s.instance_count
    serverless        = s.serverless
    autoscaling       = s.autoscaling
    requires_approval = s.requires_approval
  }])

  # Environment every build of the project gets (the seed code's buildspecs read these).
  codebuild_environment = {
    SAGEMAKER_PROJECT_NAME      = local.project_name
    SAGEMAKER_PROJECT_ID        = local.project_id
    ARTIFACT_BUCKET             = local.bucket_name
    KMS_KEY_ARN                 = module.kms_key.arn
    MODEL_PACKAGE_GROUP_NAME    = local.model_package_group_name
    SAGEMAKER_PIPELINE_NAME     = local.sagemaker_pipeline_name
    SAGEMAKER_PIPELINE_ROLE_ARN = module.service_role["sagemaker"].arn
  }
  codebuild_settings = merge(local.github_actions ? {} : {
    model_build = {
      description           = "Runs the SageMaker Pipeline of project ${local.project_name} and waits for it"
      role_arn              = module.service_role["model_build"].arn
      buildspec             = "codebuild-buildspec.yml"
      timeout_in_minutes    = 480
      environment_variables = {}
    }
    }, local.github_actions || !local.deploys ? {} : {
    deploy_config = {
      description           = "Writes the per-stage endpoint configuration of the latest approved model of ${local.project_name}"
      role_arn              = module.service_role["model_deploy"].arn
      buildspec             = "buildspec.yml"
      timeout_in_minutes    = 30
      environment_variables = { SAGEMAKER_EXECUTION_ROLE_ARN = module.service_role["sagemaker"].arn, DEPLOY_STAGES_JSON = local.deploy_stages_json }
    }
    deploy = {
      description           = "Applies the endpoint Terraform of one stage of ${local.project_name} (STAGE_NAME)"
      role_arn              = module.service_role["model_deploy"].arn
      buildspec             = "deploy-buildspec.yml"
      timeout_in_minutes    = 120
      environment_variables = {}
    }
    test = {
      description           = "Tests the endpoint of one stage of ${local.project_name} (STAGE_NAME)"
      role_arn              = module.service_role["model_deploy"].arn
      buildspec             = "test-buildspec.yml"
      timeout_in_minutes    = 30
      environment_variables = {}
    }
    }, local.experiments ? {
    # The model build's buildspec on a branch: the experiments pipeline sets SAGEMAKER_PIPELINE_NAME for the branch
    # (empty here, so that a build started outside it fails instead of running as the production pipeline).
    experiment = {
      description        = "Runs the SageMaker Pipeline of one experimentation branch of ${local.project_name} (<project>-<branch>)"
      role_arn           = module.service_role["experiment_build"].arn
      buildspec          = "codebuild-buildspec.yml"
      timeout_in_minutes = 480
      environment_variables = {
        SAGEMAKER_PIPELINE_NAME     = ""
        SAGEMAKER_PIPELINE_ROLE_ARN = module.service_role["experiment_sagemaker"].arn
        MODEL_PACKAGE_GROUP_NAME    = local.experiment_model_package_group_name
      }
    }
  } : {})

  # ARN building blocks for the IAM policies.
  arn_prefix = {
    sagemaker = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}"
    logs      = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group"
    codebuild = "arn:${local.partition}:codebuild:${local.region}:${local.account_id}:project"
  }
}
