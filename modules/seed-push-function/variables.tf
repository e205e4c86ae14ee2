variable "account_id" {
  description = "ID of the AWS account of the function (its role trust is pinned to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "code_bucket" {
  description = "Bucket holding the function's zip (built by `mlops-templates package`) and the seed-code zips."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.code_bucket))
    error_message = "code_bucket must be an S3 bucket name."
  }
}

variable "code_key" {
  description = "S3 key of the function's zip (handler seed_push.handler)."
  type        = string

  validation {
    condition     = endswith(var.code_key, ".zip")
    error_message = "code_key must name a .zip object."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key for the function's environment and log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "name" {
  description = "Name of the function (1-64 letters, digits, - and _)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, - and _."
  }
}

variable "region" {
  description = "AWS region of the function."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "repository_arns" {
  description = "CodeCommit repositories the function may seed (and nothing else)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.repository_arns) > 0 && alltrue([for arn in var.repository_arns : can(regex("^arn:aws[a-zA-Z-]*:codecommit:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9._-]+$", arn))])
    error_message = "repository_arns must hold at least one CodeCommit repository ARN."
  }
}

variable "seed_key_prefix" {
  description = "Key prefix under code_bucket that the function may read seed zips from."
  type        = string
  default     = "seed/"
  nullable    = false
}

variable "seed_kms_key_arn" {
  description = "ARN of the KMS key that encrypts code_bucket (the catalog key), so the function can read the seed zips; null if the bucket is not KMS-encrypted."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "timeout_in_seconds" {
  description = "Function timeout (seconds)."
  type        = number
  default     = 120
  nullable    = false

  validation {
    condition     = var.timeout_in_seconds >= 10 && var.timeout_in_seconds <= 900
    error_message = "timeout_in_seconds must be between 10 and 900."
  }
}
