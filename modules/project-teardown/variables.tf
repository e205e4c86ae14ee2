variable "account_id" {
  description = "ID of the AWS account of the project."
  type        = string
}

variable "destroy_after" {
  description = "Resources of the caller that Terraform must destroy only after the teardown ran, as any attribute by a stable name (e.g. the bucket's name, the model package group's ARN, the key's ARN): the bucket holds the stages' state, and a group with packages cannot be deleted."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "experiments" {
  description = "The project's experiment branches (the multi-branch template), or null for none: their model package group (its packages are deleted; the group itself is the caller's) and the SageMaker execution role their pipelines run as. A pipeline named <project>-* other than sagemaker_pipeline_name is deleted (after its running executions are stopped) when it runs as this role and is tagged sagemaker:project-id with project_id."
  type = object({
    model_package_group_name = string
    pipeline_role_arn        = string
  })
  default = null

  validation {
    condition     = var.experiments == null || can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.experiments.model_package_group_name))
    error_message = "experiments.model_package_group_name must be a SageMaker model package group name (letters, digits and hyphens, at most 63)."
  }

  validation {
    condition     = var.experiments == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9_+=,.@/-]+$", var.experiments.pipeline_role_arn))
    error_message = "experiments.pipeline_role_arn must be the ARN of an IAM role (arn:<partition>:iam::<account>:role/...)."
  }
}

variable "function" {
  description = "The teardown function: its name, its zip (`mlops-templates package` builds lambda/project-teardown/...zip, handler project_teardown.handler) and the project key for its logs and environment. The timeout bounds the wait for endpoints to go (at most 900 seconds)."
  type = object({
    name                  = string
    code_bucket           = string
    code_key              = string
    kms_key_arn           = string
    log_retention_in_days = optional(number, 365)
    timeout_in_seconds    = optional(number, 900)
  })
  nullable = false
}

variable "model_package_group_name" {
  description = "Model package group of the project: its packages are deleted (the group itself is the caller's)."
  type        = string
}

variable "permissions_boundary_arn" {
  description = "ARN of the permissions boundary of the function's role; null for none."
  type        = string
  default     = null
}

variable "project_id" {
  description = "ID of the SageMaker project: only resources tagged sagemaker:project-id with it are removed."
  type        = string

  validation {
    condition     = can(regex("^p-[a-z0-9]+$", var.project_id))
    error_message = "project_id must be a SageMaker project id (p-...)."
  }
}

variable "project_name" {
  description = "Name of the SageMaker project: the prefix (<project>-) of its endpoints, endpoint configurations and models."
  type        = string
}

variable "region" {
  description = "AWS region of the project."
  type        = string
}

variable "sagemaker_pipeline_name" {
  description = "SageMaker Pipeline the model build upserts; deleted after its running executions are stopped."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
