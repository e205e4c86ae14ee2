variable "access_log_bucket_name" {
  description = "Bucket that receives the S3 server access logs of the project bucket (under <project bucket>/); null reads it from the SSM parameter access_log_bucket_parameter_name (written by catalog/)."
  type        = string
  default     = null
}


variable "access_log_bucket_parameter_name" {
  description = "SSM parameter (written by catalog/) holding the access log bucket's name, read when access_log_bucket_name is null; null, or a parameter that does not exist, leaves access logging off."
  type        = string
  default     = "/mlops-templates/access-log-bucket-name"

  validation {
    condition     = var.access_log_bucket_parameter_name == null || can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.access_log_bucket_parameter_name))
    error_message = "access_log_bucket_parameter_name must be a fully qualified SSM parameter name (/path/name) or null."
  }
}


variable "branch_pipelines_function_key" {
  description = "S3 key (in the seed-code bucket) of the branch-pipelines Lambda zip, which names, starts and deletes the experiment branches' pipelines (experiment_branches); null: the branch_pipelines_function_key of the packaged product's artifacts.json."
  type        = string
  default     = null
}


variable "catalog_bucket_parameter_name" {
  description = "SSM parameter (written by catalog/) holding the name of the catalog bucket with the seed code; read only when seed_code_bucket_name is null."
  type        = string
  default     = "/mlops-templates/catalog-bucket-name"
  nullable    = false
}


variable "catalog_kms_key_arn" {
  description = "ARN of the KMS key of the catalog bucket, so the seed-push function can read the seed code; null reads it from the encryption of the seed-push package in that bucket (none when the bucket is not KMS-encrypted)."
  type        = string
  default     = null
}


variable "ci" {
  description = "Where the project's CI runs. codepipeline (default): CodePipeline pipelines with CodeBuild projects build and deploy, started by pushes and by the model approval. github-actions: the repositories' GitHub Actions workflows (in the seed code: .github/workflows, configured by the .github/sagemaker-project.json the seed commit adds) build and deploy; the project creates no pipeline or build project but two roles those workflows assume through the account's GitHub OIDC provider (github.oidc_provider_arn, null: the catalog's, SSM /mlops-templates/github-oidc-provider-arn): the model-build role for the model-build repository's branch, the model-deploy role for the model-deploy repository's branch and its GitHub environments named after the deploy stages; a model approval or rejection reaches the model-deploy repository as a repository_dispatch (event type model-approval) sent by the github-dispatch function with the token in the Secrets Manager secret github.token_secret_arn ({\"token\": ...}). github-actions needs GitHub or GitHub Enterprise Server repositories (source_control codeconnections, or anygit with their https URLs) and api_url the GitHub REST API (GHES: https://<host>/api/v3)."
  type = object({
    provider = optional(string, "codepipeline")
    github = optional(object({
      token_secret_arn  = string
      oidc_provider_arn = optional(string)
      api_url           = optional(string, "https://api.github.com")
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["codepipeline", "github-actions"], var.ci.provider)
    error_message = "ci.provider must be codepipeline or github-actions."
  }

  validation {
    condition     = (var.ci.provider == "github-actions") == (var.ci.github != null)
    error_message = "ci.github (token_secret_arn, and optionally oidc_provider_arn and api_url) is required with ci.provider github-actions and not allowed with codepipeline."
  }

  validation {
    condition     = var.ci.provider != "github-actions" || var.source_control.provider != "codecommit"
    error_message = "ci.provider github-actions needs GitHub repositories (source_control codeconnections or anygit): GitHub Actions does not run on CodeCommit."
  }

  validation {
    condition     = var.ci.provider != "github-actions" || !var.experiment_branches
    error_message = "experiment_branches builds branches in CodePipeline; with ci.provider github-actions, run branch experiments in the repository's own workflows."
  }

  validation {
    condition     = var.ci.github == null || can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", try(var.ci.github.token_secret_arn, "")))
    error_message = "ci.github.token_secret_arn must be a Secrets Manager secret ARN."
  }

  validation {
    condition     = try(var.ci.github.oidc_provider_arn, null) == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:oidc-provider/[a-zA-Z0-9.-]+(/[\\x21-\\x7E]+)?$", try(var.ci.github.oidc_provider_arn, "")))
    error_message = "ci.github.oidc_provider_arn must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com, or a GHES host) or null."
  }

  validation {
    condition     = var.ci.github == null || can(regex("^https://[a-zA-Z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$", try(var.ci.github.api_url, "")))
    error_message = "ci.github.api_url must be an https URL of the GitHub REST API (https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server)."
  }

  validation {
    condition = var.ci.provider != "github-actions" || alltrue([for r in values(var.source_control.repositories) :
      can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", r.full_repository_id != null ? r.full_repository_id : try(regex("^https://[^/]+/([^/]+/[^/]+?)(?:\\.git)?/?$", coalesce(r.repository_url, "-"))[0], "-")))
    ])
    error_message = "ci.provider github-actions: each repository must be a GitHub repository owner/name (codeconnections full_repository_id, or an anygit repository_url https://<host>/<owner>/<name>[.git])."
  }
}


variable "codebuild_image" {
  description = "CodeBuild image of every build project of the project."
  type        = string
  default     = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
  nullable    = false
}


variable "deploy_stages" {
  description = "Ordered deployment stages of the model-deploy pipeline. Each stage gets its own endpoint (<project>-<stage>), deployed by terraform apply, then tested; requires_approval adds a manual approval before the next stage. Give either instance settings or serverless settings; autoscaling applies to instance stages. No stage ([]): a model building and training project, which registers models and deploys none (no model-deploy repository, role, build projects, pipeline, approval rule or dispatch)."
  type = list(object({
    name              = string
    instance_type     = optional(string, "ml.m5.large")
    instance_count    = optional(number, 1)
    requires_approval = optional(bool, true)
    serverless = optional(object({
      memory_size_in_mb = number
      max_concurrency   = number
    }))
    autoscaling = optional(object({
      min_capacity                    = number
      max_capacity                    = number
      target_invocations_per_instance = number
    }))
  }))
  default = [
    { name = "staging" },
    { name = "prod" },
  ]
  nullable = false

  validation {
    condition     = length(var.deploy_stages) <= 10
    error_message = "deploy_stages must hold at most 10 stages (none: a model building and training project)."
  }

  validation {
    condition     = length(distinct([for s in var.deploy_stages : s.name])) == length(var.deploy_stages) && alltrue([for s in var.deploy_stages : can(regex("^[a-z][a-z0-9-]{0,19}$", s.name))])
    error_message = "Stage names must be unique, 1-20 characters, lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for s in var.deploy_stages : s.serverless == null || s.autoscaling == null])
    error_message = "A serverless stage cannot have autoscaling settings (serverless endpoints scale by max_concurrency)."
  }

  validation {
    condition     = alltrue([for s in var.deploy_stages : s.instance_count >= 1 && startswith(s.instance_type, "ml.")])
    error_message = "instance_count must be at least 1 and instance_type an ml.* instance type."
  }
}


variable "experiment_branches" {
  description = "Experimentation branches: every push to a branch of the model-build repository other than the one the project follows runs the model-build SageMaker pipeline under its own name (<project>-<branch>, sanitised; see modules/branch-pipelines) with the experiments execution role, registering into the experiments model package group (<project>-<id>-experiments), never the production one; deleting the branch deletes its pipeline. CodeCommit and CodeConnections sources (not anygit). The branch function comes from the packaged product (branch_pipelines_function_key); without it (a plan outside a packaged product) the function and its rules are left out."
  type        = bool
  default     = false
  nullable    = false

  validation {
    condition     = !var.experiment_branches || var.source_control.provider != "anygit"
    error_message = "experiment_branches needs a codecommit or codeconnections source: an anygit repository reaches the project as one exported branch."
  }

  validation {
    condition     = !var.experiment_branches || length("${var.project_name}-${var.project_id}-experiments") <= 63
    error_message = "experiment_branches: the experiments model package group <project_name>-<project_id>-experiments would exceed SageMaker's 63 characters; use a shorter project name."
  }
}


variable "git_seed_function_key" {
  description = "S3 key (in the seed-code bucket) of the git-seed Lambda zip, which seeds third-party repositories (source_control.provider codeconnections); null: the git_seed_function_key of the packaged product's artifacts.json."
  type        = string
  default     = null
}


variable "git_webhook_function_key" {
  description = "S3 key (in the seed-code bucket) of the git-webhook Lambda zip, which exports pushed branches of any-git repositories (source_control.provider anygit); null: the git_webhook_function_key of the packaged product's artifacts.json."
  type        = string
  default     = null
}


variable "github_dispatch_function_key" {
  description = "S3 key (in the seed-code bucket) of the github-dispatch Lambda zip, which sends model approvals to the model-deploy repository's workflows (ci.provider github-actions); null: the github_dispatch_function_key of the packaged product's artifacts.json."
  type        = string
  default     = null
}


variable "github_oidc_provider_parameter_name" {
  description = "SSM parameter (written by catalog/ when its github_oidc is on) holding the ARN of the account's GitHub OIDC provider; read with ci.provider github-actions when ci.github.oidc_provider_arn is null."
  type        = string
  default     = "/mlops-templates/github-oidc-provider-arn"
  nullable    = false

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.github_oidc_provider_parameter_name))
    error_message = "github_oidc_provider_parameter_name must be a fully qualified SSM parameter name (/path/name)."
  }
}


variable "log_retention_in_days" {
  description = "Retention of the project's CloudWatch log groups (default one year)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}


variable "permissions_boundary_arn" {
  description = "Permissions boundary of every role of the project; null: the catalog's, arn:<partition>:iam::<account>:policy/mlops-templates/mlops-project-boundary (catalog/ creates it; the launch role may create roles only with it)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN or null."
  }
}


variable "project_id" {
  description = "ID of the SageMaker project (SageMakerProjectId), e.g. p-abcdef123456: makes every name unique."
  type        = string

  validation {
    condition     = can(regex("^p-[a-z0-9]{1,18}$", var.project_id))
    error_message = "project_id (SageMakerProjectId) must look like p-abcdef123456: \"p-\" and 1-18 lowercase letters or digits."
  }
}


variable "project_name" {
  description = "Name of the SageMaker project (SageMakerProjectName): makes names readable."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$", var.project_name)) && length(var.project_name) <= 32
    error_message = "project_name (SageMakerProjectName) must follow SageMaker's project name rules: 1-32 letters, digits and hyphens, starting and ending with a letter or digit."
  }
}


variable "seed_code_bucket_name" {
  description = "Bucket holding the packaged seed code and the seed-push function; null reads it from the SSM parameter catalog_bucket_parameter_name."
  type        = string
  default     = null
}


variable "seed_code_keys" {
  description = "S3 keys of the seed-code zips, by repository (model_build, model_deploy); empty: the seed_code_keys of the artifacts.json that `mlops-templates package` writes beside the root module of a packaged product, if any (else the repositories are not seeded)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.seed_code_keys) : contains(["model_build", "model_deploy"], k)])
    error_message = "seed_code_keys may only name model_build and model_deploy."
  }
}


variable "seed_code_set" {
  description = "Seed-code set the repositories start with, among the seed_code_sets of the packaged product's artifacts.json (the sets its product.yaml allows, registered in catalog/seed-code-sets.yaml); null: the artifacts.json's default_seed_code_set. seed_code_keys, when given, wins."
  type        = string
  default     = null

  validation {
    condition     = var.seed_code_set == null || contains(keys(local.seed_code_sets), coalesce(var.seed_code_set, "-"))
    error_message = "seed_code_set ${jsonencode(var.seed_code_set)} is not a seed-code set of this product; allowed: ${length(local.seed_code_sets) > 0 ? join(", ", sort(keys(local.seed_code_sets))) : "none (the artifacts.json beside the root module names no seed_code_sets)"}."
  }
}


variable "seed_push_function_key" {
  description = "S3 key of the seed-push Lambda zip (CodeCommit repositories); null: the seed_push_function_key of the packaged product's artifacts.json."
  type        = string
  default     = null
}


variable "source_control" {
  description = "Where the project's code lives. codecommit (default): two CodeCommit repositories the project creates (sagemaker-<project>-<id>-modelbuild/-modeldeploy), on main; a push starts the pipeline through EventBridge. codeconnections: two existing repositories (one, model_build, without deploy_stages) on GitHub, GitHub Enterprise Server, GitLab (incl. self-managed) or Bitbucket behind the CodeConnections connection connection_arn; repositories.<model_build|model_deploy> give each one's full_repository_id (owner/name, GitLab group/subgroup/name) and the branch the pipeline follows; a push to that branch starts the pipeline (CodePipeline V2 push trigger). anygit: two existing repositories on any git server reachable over HTTPS (repositories.<key>.repository_url and branch) with the credentials of the Secrets Manager secret secret_arn ({username, token, webhook_secret}); the server's push webhook (outputs webhook_urls) exports the branch to the project bucket, whose object starts the pipeline."
  type = object({
    provider       = optional(string, "codecommit")
    connection_arn = optional(string)
    secret_arn     = optional(string)
    repositories = optional(map(object({
      full_repository_id = optional(string)
      repository_url     = optional(string)
      branch             = optional(string, "main")
    })), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["codecommit", "codeconnections", "anygit"], var.source_control.provider)
    error_message = "source_control.provider must be codecommit, codeconnections or anygit."
  }

  validation {
    condition = var.source_control.provider == "codecommit" ? var.source_control.connection_arn == null && var.source_control.secret_arn == null && length(var.source_control.repositories) == 0 : (
      toset(keys(var.source_control.repositories)) == toset(length(var.deploy_stages) > 0 ? ["model_build", "model_deploy"] : ["model_build"])
    )
    error_message = "source_control: codecommit takes no connection_arn, secret_arn or repositories (the project creates its repositories); codeconnections and anygit need exactly the repositories model_build and model_deploy (model_build only when deploy_stages is empty: a project without deployment)."
  }

  validation {
    condition = var.source_control.provider != "codeconnections" || (var.source_control.connection_arn != null && var.source_control.secret_arn == null
    && alltrue([for r in values(var.source_control.repositories) : r.full_repository_id != null && r.repository_url == null]))
    error_message = "source_control: codeconnections needs connection_arn (no secret_arn) and each repository's full_repository_id (no repository_url)."
  }

  validation {
    condition = var.source_control.provider != "anygit" || (var.source_control.secret_arn != null && var.source_control.connection_arn == null
    && alltrue([for r in values(var.source_control.repositories) : r.repository_url != null && r.full_repository_id == null]))
    error_message = "source_control: anygit needs secret_arn (no connection_arn) and each repository's repository_url (no full_repository_id)."
  }

  validation {
    condition     = var.source_control.connection_arn == null || can(regex("^arn:aws[a-zA-Z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", var.source_control.connection_arn))
    error_message = "source_control.connection_arn must be a connection ARN: arn:<partition>:codeconnections:<region>:<account>:connection/<uuid> (or the older codestar-connections form)."
  }

  validation {
    condition     = var.source_control.secret_arn == null || can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.source_control.secret_arn))
    error_message = "source_control.secret_arn must be a Secrets Manager secret ARN."
  }

  validation {
    condition = alltrue([for r in values(var.source_control.repositories) :
      (r.full_repository_id == null || can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", coalesce(r.full_repository_id, "-"))))
      && (r.repository_url == null || can(regex("^https://[^/@\\s]+/\\S+$", coalesce(r.repository_url, "-"))))
    && can(regex("^[A-Za-z0-9._/-]{1,256}$", r.branch)) && !endswith(r.branch, ".lock")])
    error_message = "source_control.repositories: full_repository_id must be owner/name (GitLab: group/subgroup/name), repository_url an https:// URL without credentials, and branch a valid git branch name."
  }
}


variable "tags" {
  description = "Extra tags for every resource of the project (the Service Catalog engine adds the provisioned product's tags as default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false
}


variable "teardown_function_key" {
  description = "S3 key (in the seed-code bucket) of the project-teardown Lambda zip; null: the teardown_function_key of the packaged product's artifacts.json, and without one no teardown (then deleting the project leaves what its pipelines created)."
  type        = string
  default     = null
}
