variable "account_id" {
  description = "ID of the AWS account of the function (its role trust is pinned to it)."
  type        = string
}

variable "code_bucket" {
  description = "Bucket holding the function's zip (built by `mlops-templates package`) and the seed-code zips."
  type        = string
}

variable "code_key" {
  description = "S3 key of the function's zip (handler seed_push.handler)."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key for the function's environment and log group."
  type        = string
}

variable "log_retention_in_days" {
  description = "Retention of the function's log group (days, a CloudWatch Logs retention value)."
  type        = number
  default     = 365
  nullable    = false
}

variable "name" {
  description = "Name of the function (1-64 letters, digits, - and _)."
  type        = string
}

variable "permissions_boundary_arn" {
  description = "ARN of the permissions boundary of the function's role; null for none."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region of the function."
  type        = string
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
  description = "Tags for the function, its role and its log group."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "timeout_in_seconds" {
  description = "Timeout of one seed push (seconds, 10-900)."
  type        = number
  default     = 120
  nullable    = false
}
