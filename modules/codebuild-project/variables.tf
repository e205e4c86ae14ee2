variable "build_image" {
  description = "CodeBuild image."
  type        = string
  default     = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
  nullable    = false
}

variable "buildspec" {
  description = "Path of the buildspec file in the source (e.g. codebuild-buildspec.yml), or an inline buildspec."
  type        = string
  default     = "buildspec.yml"
  nullable    = false
}

variable "compute_type" {
  description = "CodeBuild compute type."
  type        = string
  default     = "BUILD_GENERAL1_SMALL"
  nullable    = false

  validation {
    condition     = contains(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE"], var.compute_type)
    error_message = "compute_type must be one of BUILD_GENERAL1_SMALL, _MEDIUM, _LARGE, _XLARGE, _2XLARGE."
  }
}

variable "description" {
  description = "Description of the project."
  type        = string
  default     = null
}

variable "encryption_key_arn" {
  description = "ARN of the KMS key that encrypts the build output artifacts and the log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.encryption_key_arn))
    error_message = "encryption_key_arn must be a KMS key ARN."
  }
}

variable "environment_variables" {
  description = "Plain-text environment variables of the build (no secrets: use parameter_store_variables)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "log_retention_in_days" {
  description = "Retention of the build log group (default one year, as audits usually require)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "name" {
  description = "Name of the project (2-150 characters of letters, digits, - and _, starting with a letter or digit)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$", var.name))
    error_message = "name must be 2-150 characters of letters, digits, - and _, starting with a letter or digit."
  }
}

variable "parameter_store_variables" {
  description = "Environment variables read from SSM Parameter Store at build time (name -> parameter name)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "queued_timeout_in_minutes" {
  description = "Minutes a build may wait in the queue (5-480)."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.queued_timeout_in_minutes >= 5 && var.queued_timeout_in_minutes <= 480
    error_message = "queued_timeout_in_minutes must be between 5 and 480."
  }
}

variable "service_role_arn" {
  description = "ARN of the IAM role the builds run as (created by the caller with exactly what the build does)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.service_role_arn))
    error_message = "service_role_arn must be an IAM role ARN."
  }
}

variable "tags" {
  description = "Tags for the project and its log group."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "timeout_in_minutes" {
  description = "Build timeout in minutes (5-2160). A model build waits for the SageMaker Pipeline, so allow for training."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.timeout_in_minutes >= 5 && var.timeout_in_minutes <= 2160
    error_message = "timeout_in_minutes must be between 5 and 2160."
  }
}

variable "vpc_config" {
  description = "Run the builds in a VPC: its ID, private subnets and security groups. Null: CodeBuild's network."
  type = object({
    vpc_id             = string
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc_config == null || (length(try(var.vpc_config.subnet_ids, [])) > 0 && length(try(var.vpc_config.security_group_ids, [])) > 0)
    error_message = "vpc_config needs at least one subnet and one security group."
  }
}
