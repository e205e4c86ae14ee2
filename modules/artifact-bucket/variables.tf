variable "access_log_bucket_name" {
  description = "Name of an existing bucket that receives server access logs of this bucket; null turns access logging off."
  type        = string
  default     = null
}

variable "access_log_prefix" {
  description = "Key prefix of the access log objects in access_log_bucket_name."
  type        = string
  default     = "s3-access-logs/"
  nullable    = false
}

variable "enable_eventbridge_notifications" {
  description = "Send the bucket's events (Object Created, ...) to EventBridge, for rules that start pipelines on an object (an S3 source action)."
  type        = bool
  default     = false
  nullable    = false
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a bucket that still holds objects. Keep false for anything but tests."
  type        = bool
  default     = false
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts every object (SSE-KMS with an S3 bucket key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "lifecycle_rules" {
  description = "Lifecycle rules keyed by a stable rule id. Each applies to objects under prefix (\"\" = all): noncurrent versions expire after noncurrent_version_expiration_days (keeping newer_noncurrent_versions), incomplete multipart uploads are aborted after abort_incomplete_multipart_upload_days, current versions expire after expiration_days. Null turns a part off."
  type = map(object({
    prefix                                 = optional(string, "")
    noncurrent_version_expiration_days     = optional(number)
    newer_noncurrent_versions              = optional(number)
    abort_incomplete_multipart_upload_days = optional(number)
    expiration_days                        = optional(number)
  }))
  default = {
    default = {
      noncurrent_version_expiration_days     = 90
      abort_incomplete_multipart_upload_days = 7
    }
  }
  nullable = false

  validation {
    condition = alltrue([
      for id, rule in var.lifecycle_rules : can(regex("^[a-zA-Z0-9._-]{1,255}$", id)) && anytrue([
        rule.noncurrent_version_expiration_days != null,
        rule.abort_incomplete_multipart_upload_days != null,
        rule.expiration_days != null,
      ])
    ])
    error_message = "Each lifecycle rule needs an id of letters, digits, ., _ or - and at least one of noncurrent_version_expiration_days, abort_incomplete_multipart_upload_days, expiration_days."
  }

  validation {
    condition = alltrue(flatten([
      for rule in values(var.lifecycle_rules) : [
        for days in [rule.noncurrent_version_expiration_days, rule.abort_incomplete_multipart_upload_days, rule.expiration_days] :
        days == null ? true : days >= 1 && floor(days) == days
      ]
    ]))
    error_message = "Lifecycle day counts must be whole numbers of at least 1."
  }
}

variable "name" {
  description = "Name of the bucket (S3 naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)."
  type        = string

  validation {
    condition = alltrue([
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)),
      !can(regex("\\.\\.|\\.-|-\\.", var.name)),
      !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.name)),
      !startswith(var.name, "xn--"),
      !startswith(var.name, "sthree-"),
      !startswith(var.name, "amzn-s3-demo-"),
      !endswith(var.name, "-s3alias"),
      !endswith(var.name, "--ol-s3"),
      !endswith(var.name, ".mrap"),
      !endswith(var.name, "--x-s3"),
    ])
    error_message = "name must follow the S3 bucket naming rules: 3-63 characters of lowercase letters, digits, dots and hyphens; start and end with a letter or digit; no adjacent dots or dot-hyphen pairs; not an IP address; none of the reserved prefixes (xn--, sthree-, amzn-s3-demo-) or suffixes (-s3alias, --ol-s3, .mrap, --x-s3)."
  }
}

variable "policy_documents" {
  description = "IAM policy documents (JSON) whose statements are merged into the bucket policy after the module's own (TLS-only, encryption) statements."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for doc in var.policy_documents : can(jsondecode(doc).Statement)])
    error_message = "policy_documents must hold JSON policy documents with a Statement list."
  }
}

variable "read_account_ids" {
  description = "Other AWS account IDs whose principals may read objects (e.g. deployment accounts that pull model artifacts). They also need use of the KMS key."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.read_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "read_account_ids must hold 12-digit AWS account IDs."
  }
}

variable "tags" {
  description = "Tags for the bucket (add sagemaker:project-name and sagemaker:project-id for projects)."
  type        = map(string)
  default     = {}
  nullable    = false
}
