variable "autoscaling" {
  description = "Target-tracking autoscaling of an instance endpoint on invocations per instance; null for a fixed instance count."
  type = object({
    min_capacity                    = number
    max_capacity                    = number
    target_invocations_per_instance = number
    scale_in_cooldown_seconds       = optional(number, 300)
    scale_out_cooldown_seconds      = optional(number, 60)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_capacity >= 1 && var.autoscaling.max_capacity >= var.autoscaling.min_capacity && var.autoscaling.target_invocations_per_instance > 0, false)
    error_message = "autoscaling needs 1 <= min_capacity <= max_capacity and a positive target_invocations_per_instance."
  }
}

variable "data_capture" {
  description = "Capture requests and responses to S3 (instance endpoints only): destination URI and sampling percentage; null turns it off."
  type = object({
    destination_s3_uri          = string
    initial_sampling_percentage = optional(number, 100)
  })
  default = null

  validation {
    condition     = var.data_capture == null || try(startswith(var.data_capture.destination_s3_uri, "s3://") && var.data_capture.initial_sampling_percentage >= 0 && var.data_capture.initial_sampling_percentage <= 100, false)
    error_message = "data_capture needs an s3:// destination and a sampling percentage from 0 to 100."
  }
}

variable "enable_network_isolation" {
  description = "Run the model container without network access (the default; SageMaker still fetches the model artifacts). Turn off only for containers that must call out."
  type        = bool
  default     = true
  nullable    = false
}

variable "endpoint_name" {
  description = "Name of the endpoint (1-54 letters, digits and hyphens: the model and endpoint configuration add a 9-character suffix)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,53}$", var.endpoint_name)) && length(var.endpoint_name) <= 54
    error_message = "endpoint_name must be 1-54 letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "execution_role_arn" {
  description = "ARN of the SageMaker execution role the model runs as."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "instance" {
  description = "Instance hosting: type and initial count. Give exactly one of instance and serverless."
  type = object({
    instance_type          = string
    initial_instance_count = optional(number, 1)
  })
  default = null

  validation {
    condition     = var.instance == null || try(startswith(var.instance.instance_type, "ml.") && var.instance.initial_instance_count >= 1, false)
    error_message = "instance needs an ml.* instance_type and initial_instance_count >= 1."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key for the captured data and the endpoint's EBS storage volumes (not set on the endpoint configuration for serverless endpoints and instance types with local NVMe storage, which SageMaker encrypts by hardware and which reject a key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "model_package_arn" {
  description = "ARN of the (approved) model package to deploy."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/.+$", var.model_package_arn))
    error_message = "model_package_arn must be a SageMaker model package ARN."
  }
}

variable "serverless" {
  description = "Serverless hosting: memory (1024-6144 MB, by 1024) and maximum concurrency (1-200). Give exactly one of instance and serverless."
  type = object({
    memory_size_in_mb = number
    max_concurrency   = number
  })
  default = null

  validation {
    condition     = var.serverless == null || try(contains([1024, 2048, 3072, 4096, 5120, 6144], var.serverless.memory_size_in_mb) && var.serverless.max_concurrency >= 1 && var.serverless.max_concurrency <= 200, false)
    error_message = "serverless needs memory_size_in_mb in 1024, 2048, ..., 6144 and max_concurrency from 1 to 200."
  }
}

variable "tags" {
  description = "Tags for the model, endpoint configuration and endpoint."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "vpc_config" {
  description = "Run the model in a VPC: private subnets and security groups; null for none."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}
