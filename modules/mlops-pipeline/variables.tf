variable "artifact_bucket_name" {
  description = "Bucket of the pipeline's artifact store (the project bucket)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifact_bucket_name))
    error_message = "artifact_bucket_name must be an S3 bucket name."
  }
}

variable "build" {
  description = "The Build stage: a CodeBuild project run on the source. Its output artifact (BuildOutput) is given to every deployment stage."
  type = object({
    project_name          = string
    environment_variables = optional(map(string), {})
  })
  nullable = false
}

variable "execution_mode" {
  description = "How executions that overlap run: SUPERSEDED (default: a newer one replaces an older one waiting between stages), QUEUED (one after the other) or PARALLEL (each on its own, e.g. one per branch)."
  type        = string
  default     = "SUPERSEDED"
  nullable    = false

  validation {
    condition     = contains(["SUPERSEDED", "QUEUED", "PARALLEL"], var.execution_mode)
    error_message = "execution_mode must be SUPERSEDED, QUEUED or PARALLEL."
  }
}

variable "invoke" {
  description = "An optional stage between Source and Build that invokes a Lambda function (CodePipeline's Invoke/Lambda action) with user_parameters (which may use #{SourceVariables.<name>} and #{variables.<name>}); its output variables are #{<namespace>.<name>} for the build's environment_variables. The pipeline's role must be allowed to invoke the function."
  type = object({
    function_name   = string
    user_parameters = string
    namespace       = string
    stage_name      = optional(string, "Prepare")
  })
  default = null

  validation {
    condition     = var.invoke == null || (can(regex("^[A-Za-z0-9@_-]{1,100}$", try(var.invoke.namespace, ""))) && can(regex("^[A-Za-z0-9.@_-]{1,100}$", try(var.invoke.stage_name, ""))) && !contains(["Source", "Build", "SourceVariables"], try(var.invoke.namespace, "")))
    error_message = "invoke: namespace and stage_name must be 1-100 letters, digits, @, _ and - (the namespace not Source, Build or SourceVariables)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the artifact store."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "name" {
  description = "Name of the pipeline (1-100 letters, digits, ., @, _ and -)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9.@_-]{1,100}$", var.name))
    error_message = "name must be 1-100 letters, digits, ., @, _ and -."
  }
}

variable "role_arn" {
  description = "ARN of the pipeline's service role (created by the caller)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.role_arn))
    error_message = "role_arn must be an IAM role ARN."
  }
}

variable "source_repository" {
  description = "Where the Source stage reads: a CodeCommit repository (provider codecommit, repository_name; EventBridge starts the pipeline, so nothing polls), an existing third-party one through CodeConnections (provider codeconnections, connection_arn, full_repository_id; a V2 push trigger on branch_name starts the pipeline), or a zip of the code in S3 (provider s3, bucket, object_key: written by a webhook; EventBridge starts the pipeline on the object's creation). modules/code-repository's source output has this shape."
  type = object({
    provider           = optional(string, "codecommit")
    branch_name        = string
    repository_name    = optional(string)
    connection_arn     = optional(string)
    full_repository_id = optional(string)
    bucket             = optional(string)
    object_key         = optional(string)
  })
  nullable = false

  validation {
    condition     = contains(["codecommit", "codeconnections", "s3"], var.source_repository.provider)
    error_message = "source_repository.provider must be codecommit, codeconnections or s3."
  }

  validation {
    condition = (var.source_repository.provider == "codecommit" ? var.source_repository.repository_name != null
      : var.source_repository.provider == "codeconnections" ? var.source_repository.connection_arn != null && var.source_repository.full_repository_id != null
    : var.source_repository.bucket != null && var.source_repository.object_key != null)
    error_message = "A codecommit source needs repository_name; a codeconnections source needs connection_arn and full_repository_id; an s3 source needs bucket and object_key."
  }
}

variable "stages" {
  description = "Ordered deployment stages after Build. Each runs Deploy (its CodeBuild project with STAGE_NAME set), then Test if given, then, when requires_approval and it is not the last stage, a manual approval that gates the next stage."
  type = list(object({
    name                   = string
    deploy_project_name    = string
    test_project_name      = optional(string)
    requires_approval      = optional(bool, true)
    approval_sns_topic_arn = optional(string)
  }))
  default  = []
  nullable = false

  validation {
    condition     = length(distinct([for s in var.stages : s.name])) == length(var.stages) && alltrue([for s in var.stages : can(regex("^[a-z][a-z0-9-]{0,19}$", s.name))])
    error_message = "Stage names must be unique, 1-20 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags for the pipeline."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "trigger_branches" {
  description = "CodeConnections sources only: the branches (glob patterns, e.g. \"**\") whose pushes start the pipeline, and those excluded; null: the source's branch_name only."
  type = object({
    includes = list(string)
    excludes = optional(list(string), [])
  })
  default = null

  validation {
    condition     = var.trigger_branches == null || (length(try(var.trigger_branches.includes, [])) >= 1 && length(try(var.trigger_branches.includes, [])) <= 8 && length(try(var.trigger_branches.excludes, [])) <= 8)
    error_message = "trigger_branches: 1-8 includes and up to 8 excludes (CodePipeline's limits)."
  }
}

variable "variables" {
  description = "Pipeline-level variables (#{variables.<name>}), which StartPipelineExecution may set for one execution."
  type = list(object({
    name          = string
    default_value = optional(string)
    description   = optional(string)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for v in var.variables : can(regex("^[A-Za-z0-9@_-]{1,128}$", v.name))])
    error_message = "Variable names must be 1-128 letters, digits, @, _ and -."
  }
}
