variable "account_id" {
  description = "ID of the AWS account of the function (its role trust is pinned to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "api_url" {
  description = "GitHub REST API base URL: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server."
  type        = string
  default     = "https://api.github.com"
  nullable    = false

  validation {
    condition     = can(regex("^https://[a-zA-Z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$", var.api_url))
    error_message = "api_url must be an https URL of the GitHub REST API (https://api.github.com, or https://<host>/api/v3)."
  }
}

variable "code_bucket" {
  description = "Bucket holding the function's zip (built by `mlops-templates package`)."
  type        = string
}

variable "code_key" {
  description = "S3 key of the github-dispatch function's zip (handler github_dispatch.handler)."
  type        = string
}

variable "event_type" {
  description = "event_type of the repository_dispatch (what the workflow's `on: repository_dispatch: types:` lists)."
  type        = string
  default     = "model-approval"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.event_type))
    error_message = "event_type must be 1-100 letters, digits, ., _ and -."
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

variable "model_package_group_name" {
  description = "The model package group whose approvals and rejections are sent."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.model_package_group_name))
    error_message = "model_package_group_name must be a SageMaker model package group name (1-63 letters, digits and hyphens)."
  }
}

variable "name" {
  description = "Name of the function, its role and its rule: 1-64 letters, digits, - and _."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, - and _."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the function's role (the catalog's project boundary); null for none."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region of the function."
  type        = string
}

variable "repositories" {
  description = "GitHub repositories (owner/name) that receive the repository_dispatch."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for r in var.repositories : can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", r))])
    error_message = "repositories must list at least one GitHub repository as owner/name."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "token_secret_arn" {
  description = "ARN of the Secrets Manager secret whose SecretString is {\"token\": ...}: a fine-grained token or GitHub App installation token with Contents read and write on the repositories (what POST /repos/{owner}/{repo}/dispatches needs)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.token_secret_arn))
    error_message = "token_secret_arn must be a Secrets Manager secret ARN."
  }
}
