variable "autoscaling" {
  description = "Autoscaling of an instance stage (min/max capacity, target invocations per instance); null for none."
  type = object({
    min_capacity                    = number
    max_capacity                    = number
    target_invocations_per_instance = number
  })
  default = null
}

variable "data_capture_s3_uri" {
  description = "Where the endpoint captures requests and responses; null for none (serverless stages)."
  type        = string
  default     = null
}

variable "endpoint_name" {
  description = "Name of the stage's endpoint (<project>-<stage>)."
  type        = string
}

variable "execution_role_arn" {
  description = "SageMaker execution role of the project."
  type        = string
}

variable "instance_count" {
  description = "Initial instance count of an instance stage."
  type        = number
  default     = 1
}

variable "instance_type" {
  description = "Instance type of an instance stage."
  type        = string
  default     = "ml.m5.large"
}

variable "kms_key_arn" {
  description = "Project KMS key."
  type        = string
}

variable "model_package_arn" {
  description = "Approved model package to deploy."
  type        = string
}

variable "serverless" {
  description = "Serverless settings (memory_size_in_mb, max_concurrency); null for an instance stage."
  type = object({
    memory_size_in_mb = number
    max_concurrency   = number
  })
  default = null
}

variable "tags" {
  description = "Tags of every resource (project tags and mlops:stage)."
  type        = map(string)
  default     = {}
}
