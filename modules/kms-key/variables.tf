variable "account_id" {
  description = "ID of the AWS account that owns the key (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "admin_role_arns" {
  description = "IAM role ARNs that administer the key (manage, tag, schedule deletion; no data use)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.admin_role_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "admin_role_arns must hold IAM role ARNs (arn:<partition>:iam::<account>:role/<name>)."
  }
}

variable "alias_name" {
  description = "Alias of the key, without the alias/ prefix (e.g. my-project-artifacts)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias_name)) && !startswith(var.alias_name, "aws/")
    error_message = "alias_name may hold letters, digits, /, _ and - (at most 250), must not start with aws/ and is given without the alias/ prefix."
  }
}

variable "deletion_window_in_days" {
  description = "Days KMS waits before deleting the key once deletion is scheduled (7-30)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "description" {
  description = "Description of the key, shown in the KMS console."
  type        = string
  default     = "Customer-managed key created by sagemaker-mlops-templates"
  nullable    = false
}

variable "other_account_ids" {
  description = "Other AWS account IDs whose IAM principals may use the key (encrypt, decrypt, grants for AWS resources), e.g. deployment accounts."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.other_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "other_account_ids must hold 12-digit AWS account IDs."
  }
}

variable "region" {
  description = "AWS region of the key (used in kms:ViaService conditions)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "rotation_period_in_days" {
  description = "Days between automatic rotations of the key material (90-2560). Rotation is always on."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560 && floor(var.rotation_period_in_days) == var.rotation_period_in_days
    error_message = "rotation_period_in_days must be a whole number from 90 to 2560."
  }
}

variable "service_principals" {
  description = "AWS service principals that use the key directly, scoped to this account with aws:SourceAccount (e.g. logs.<region>.amazonaws.com for encrypted log groups)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.service_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", p))])
    error_message = "service_principals must hold service principal names such as logs.eu-west-1.amazonaws.com."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (add sagemaker:project-name and sagemaker:project-id for projects)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "user_role_arns" {
  description = "IAM role ARNs that use the key for data (encrypt, decrypt, generate data keys, grants for AWS resources)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.user_role_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "user_role_arns must hold IAM role ARNs (arn:<partition>:iam::<account>:role/<name>)."
  }
}

variable "via_services" {
  description = "Services (e.g. s3, sagemaker) through which any IAM principal of this account may use the key (kms:ViaService in this region, kms:CallerAccount = account_id)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.via_services : can(regex("^[a-z0-9-]+$", s))])
    error_message = "via_services must hold service endpoint prefixes such as s3, sagemaker or secretsmanager."
  }
}
