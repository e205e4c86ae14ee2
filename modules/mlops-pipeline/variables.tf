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
