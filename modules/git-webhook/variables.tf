variable "account_id" {
  description = "ID of the AWS account of the function (its role trust is pinned to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "bucket_name" {
  description = "Bucket the function exports each target's code into (the project bucket, versioned: what the pipelines' S3 source actions read)."
  type        = string
}

variable "code_bucket" {
  description = "Bucket holding the function's zip (built by `mlops-templates package`)."
  type        = string
}

variable "code_key" {
  description = "S3 key of the git-webhook function's zip (handler git_webhook.handler)."
  type        = string
}

variable "export_after" {
  description = "Anything the first exports must wait for (e.g. the seed pushes' results and the bucket's name): the exports run after it is known, and again if it changes."
  type        = string
  default     = ""
  nullable    = false
}

variable "export_on_create" {
  description = "Export every target's branch once when the function is created (the webhook is not registered yet then), so that the pipelines run on the project's first code at once."
  type        = bool
  default     = true
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of the project's KMS key: the exported zips, the function's environment and the log groups are encrypted with it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the function's and the API's log groups (days, a CloudWatch Logs retention value)."
  type        = number
  default     = 365
  nullable    = false
}

variable "name" {
  description = "Name of the function, its role and the HTTP API (1-64 letters, digits, - and _)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, - and _."
  }
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

variable "secret_arn" {
  description = "Secrets Manager secret of the repositories: JSON {username, token, webhook_secret}. The token reads the repositories; webhook_secret is what the git server signs its webhook deliveries with (or sends as its token header)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.secret_arn))
    error_message = "secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "targets" {
  description = "What the webhook exports, by name (the last path segment of its URL, e.g. model_build): the repository's HTTPS URL, the branch whose pushes are exported, and the S3 key of the zip in bucket_name."
  type = map(object({
    repository_url = string
    branch         = string
    object_key     = string
  }))
  nullable = false

  validation {
    condition     = length(var.targets) > 0 && alltrue([for name in keys(var.targets) : can(regex("^[a-z][a-z0-9_]{0,63}$", name))])
    error_message = "targets must name at least one target, each 1-64 lowercase letters, digits and _ (a URL path segment)."
  }

  validation {
    condition     = alltrue([for t in values(var.targets) : can(regex("^https://[^/@\\s]+/\\S+$", t.repository_url))])
    error_message = "Every target's repository_url must be an https:// URL without credentials in it (they come from the secret)."
  }
}

variable "throttling" {
  description = "Throttling of the webhook route: steady requests per second and burst (a git server sends one delivery per push)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 5, burst_limit = 10 }
  nullable = false
}
