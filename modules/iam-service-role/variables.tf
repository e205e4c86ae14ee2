variable "account_id" {
  description = "ID of the AWS account the role lives in; the trust policy requires aws:SourceAccount to equal it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "description" {
  description = "Description of the role."
  type        = string
  default     = "Service role created by sagemaker-mlops-templates"
  nullable    = false
}

variable "managed_policy_arns" {
  description = "ARNs of managed policies to attach, keyed by a stable name (keys, not ARNs, decide the Terraform addresses)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for arn in values(var.managed_policy_arns) : can(regex("^arn:aws[a-zA-Z-]*:iam::([0-9]{12}|aws):policy/.+$", arn))])
    error_message = "managed_policy_arns values must be IAM policy ARNs."
  }
}

variable "max_session_duration" {
  description = "Maximum session duration in seconds (3600-43200)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "name" {
  description = "Name of the role (1-64 characters of letters, digits and +=,.@_-)."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "path" {
  description = "IAM path of the role."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]+/)?$", var.path)) && length(var.path) <= 512
    error_message = "path must start and end with / (e.g. /mlops/)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of a permissions boundary policy for the role (the catalog's project boundary for every role a product creates); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN or null."
  }
}

variable "policy_documents" {
  description = "Inline policies (JSON documents) keyed by policy name. Build them with aws_iam_policy_document, scoped to the resources the service needs."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for doc in values(var.policy_documents) : can(jsondecode(doc).Statement)])
    error_message = "policy_documents values must be JSON policy documents with a Statement list."
  }

  validation {
    condition     = alltrue([for name in keys(var.policy_documents) : can(regex("^[\\w+=,.@-]{1,128}$", name))])
    error_message = "policy_documents keys are policy names: 1-128 characters of letters, digits and +=,.@_-."
  }
}

variable "service_principals" {
  description = "Service principals that may assume the role (e.g. codebuild.amazonaws.com)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.service_principals) > 0 && alltrue([for p in var.service_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", p))])
    error_message = "service_principals must hold at least one service principal such as codebuild.amazonaws.com."
  }
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
  nullable    = false
}
