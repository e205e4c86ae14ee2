variable "account_id" {
  description = "ID of the AWS account of the function (its role trust is pinned to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "code_bucket" {
  description = "Bucket holding the function's zip (built by `mlops-templates package`)."
  type        = string
}

variable "code_key" {
  description = "S3 key of the branch-pipelines function's zip (handler branch_pipelines.handler)."
  type        = string
}

variable "codepipeline_name" {
  description = "The experiments CodePipeline: it builds one branch per execution; the function starts it for CodeCommit pushes (pipeline variable BranchName, the pushed commit as the source revision)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9.@_-]{1,100}$", var.codepipeline_name))
    error_message = "codepipeline_name must be a CodePipeline name (1-100 letters, digits, ., @, _ and -)."
  }
}

variable "experiment_role_arn" {
  description = "ARN of the experiments SageMaker execution role: a SageMaker pipeline is an experiment pipeline of the project only when it runs as this role and is tagged with the project's id."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.experiment_role_arn))
    error_message = "experiment_role_arn must be an IAM role ARN."
  }
}

variable "kms_key_arn" {
  description = "ARN of the project's KMS key: the function's environment and log group are encrypted with it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the function's log group (days, a CloudWatch Logs retention value)."
  type        = number
  default     = 365
  nullable    = false
}

variable "main_branch" {
  description = "The repository's main branch: the project's model-build pipeline builds it; it never gets an experiment pipeline."
  type        = string
  default     = "main"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.main_branch)) && !endswith(var.main_branch, ".lock")
    error_message = "main_branch must be a git branch name."
  }
}

variable "name" {
  description = "Name of the function and its role, and prefix of its rules (<name>-branches, <name>-reconcile): 1-55 letters, digits, - and _."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,55}$", var.name))
    error_message = "name must be 1-55 letters, digits, - and _ (rule names add up to 10 characters to it, within EventBridge's 64)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the permissions boundary of the function's role; null for none."
  type        = string
  default     = null
}

variable "project_id" {
  description = "ID of the SageMaker project (p-...): the tag sagemaker:project-id of every pipeline the function may delete."
  type        = string

  validation {
    condition     = can(regex("^p-[a-z0-9]{1,18}$", var.project_id))
    error_message = "project_id must look like p-abcdef123456."
  }
}

variable "project_name" {
  description = "Name of the SageMaker project: experiment pipelines are named <project_name>-<branch>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$", var.project_name))
    error_message = "project_name must be a SageMaker project name (1-32 letters, digits and hyphens)."
  }
}

variable "reconcile_schedule" {
  description = "How often the function deletes the experiment pipelines of branches that no longer exist (an EventBridge schedule expression)."
  type        = string
  default     = "rate(1 hour)"
  nullable    = false

  validation {
    condition     = can(regex("^(rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$", var.reconcile_schedule))
    error_message = "reconcile_schedule must be an EventBridge schedule expression: rate(<n> <unit>) or cron(...)."
  }
}

variable "region" {
  description = "AWS region of the function."
  type        = string
}

variable "repository" {
  description = "The model-build repository: {kind = \"codecommit\", name} (EventBridge delivers its branch events) or {kind = \"codeconnections\", connection_arn, full_repository_id} (the experiments CodePipeline's push trigger builds branches; the function lists branches through the connection)."
  type = object({
    kind               = string
    name               = optional(string)
    connection_arn     = optional(string)
    full_repository_id = optional(string)
  })
  nullable = false

  validation {
    condition = (var.repository.kind == "codecommit" ? var.repository.name != null && var.repository.connection_arn == null
      : var.repository.kind == "codeconnections" && var.repository.name == null
      && can(regex("^arn:aws[a-zA-Z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", coalesce(var.repository.connection_arn, "-")))
    && can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", coalesce(var.repository.full_repository_id, "-"))))
    error_message = "repository must be {kind = \"codecommit\", name} or {kind = \"codeconnections\", connection_arn (a connection ARN), full_repository_id (owner/name)}."
  }
}

variable "reserved_pipeline_names" {
  description = "SageMaker pipelines an experiment never gets the name of, and the function may never delete or stop (the project's production pipeline)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.reserved_pipeline_names) >= 1
    error_message = "reserved_pipeline_names must name at least the production pipeline."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
