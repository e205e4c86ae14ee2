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

variable "connection_arns" {
  description = "CodeConnections connections through which the function may push to third-party repositories (codeconnections:UseConnection, nothing else); kind git only, where at least one is required."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.connection_arns : can(regex("^arn:aws[a-zA-Z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", arn))])
    error_message = "connection_arns must hold CodeConnections connection ARNs (arn:<partition>:codeconnections:<region>:<account>:connection/<uuid>)."
  }

  validation {
    condition     = (length(var.connection_arns) + length(var.secret_arns) > 0) == (var.kind == "git")
    error_message = "kind git needs at least one connection ARN in connection_arns or secret in secret_arns; kind codecommit takes neither."
  }
}

variable "kind" {
  description = "What the function seeds: codecommit (CodeCommit repositories, through the CodeCommit API: the seed-push zip, handler seed_push.handler) or git (existing third-party repositories, over git smart-HTTP through a CodeConnections connection: the git-seed zip, handler git_seed.handler)."
  type        = string
  default     = "codecommit"
  nullable    = false

  validation {
    condition     = contains(["codecommit", "git"], var.kind)
    error_message = "kind must be codecommit or git."
  }
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
  description = "CodeCommit repositories the function may seed (and nothing else); kind codecommit only, where at least one is required."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.repository_arns : can(regex("^arn:aws[a-zA-Z-]*:codecommit:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9._-]+$", arn))])
    error_message = "repository_arns must hold CodeCommit repository ARNs."
  }

  validation {
    condition     = (length(var.repository_arns) > 0) == (var.kind == "codecommit")
    error_message = "kind codecommit needs at least one repository ARN in repository_arns; kind git takes none (it seeds through connection_arns)."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets holding git credentials ({username, token}) of any-git repositories the function may push to (secretsmanager:GetSecretValue, nothing else); kind git only."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.secret_arns : can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", arn))])
    error_message = "secret_arns must hold Secrets Manager secret ARNs."
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
