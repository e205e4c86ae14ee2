variable "account_id" {
  description = "ID of the AWS account of the function (its role trust is pinned to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "code_bucket" {
  description = "Bucket holding the function's zip (built by `mlops-templates package`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.code_bucket))
    error_message = "code_bucket must be an S3 bucket name."
  }
}

variable "code_key" {
  description = "S3 key of the function's zip."
  type        = string

  validation {
    condition     = endswith(var.code_key, ".zip")
    error_message = "code_key must name a .zip object."
  }
}

variable "description" {
  description = "What the function does (the description of the function and of its role)."
  type        = string
  nullable    = false
}

variable "environment_variables" {
  description = "Environment variables of the function (configuration only, never secrets: the function reads those from Secrets Manager); LOG_LEVEL is set to INFO."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k)) && !startswith(k, "AWS_")])
    error_message = "environment_variables keys must be letters, digits and _, starting with a letter, and not AWS_* (reserved by Lambda)."
  }
}

variable "handler" {
  description = "Handler of the function: <module>.<function> of the zip, e.g. seed_push.handler."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must be <module>.<function>, e.g. seed_push.handler."
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

variable "permissions_boundary_arn" {
  description = "ARN of the permissions boundary of the function's role; null for none."
  type        = string
  default     = null
}

variable "policy_json" {
  description = "IAM policy document (JSON) of what the function may do, scoped to its project's resources; the module adds its log group, tracing and the project key."
  type        = string
  nullable    = false

  validation {
    condition     = can(jsondecode(var.policy_json).Statement)
    error_message = "policy_json must be an IAM policy document (JSON with a Statement)."
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

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.reserved_concurrent_executions >= 1 && var.reserved_concurrent_executions <= 10
    error_message = "reserved_concurrent_executions must be between 1 and 10."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets the function reads (GetSecretValue, and Decrypt through Secrets Manager of what names them, for secrets under a customer managed key)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.secret_arns : can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", arn))])
    error_message = "secret_arns must hold Secrets Manager secret ARNs."
  }
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
