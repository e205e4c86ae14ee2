variable "account_id" {
  description = "ID of the AWS account of the rules (the events role's trust is pinned to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "name_prefix" {
  description = "Prefix of the rule names (<prefix>-<rule key>) and the name of the events role (<prefix>-events)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,50}$", var.name_prefix))
    error_message = "name_prefix must be 1-50 letters, digits, ., _ and -."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the permissions boundary policy of the EventBridge role; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN or null."
  }
}

variable "rules" {
  description = "EventBridge rules keyed by a stable name: an event pattern (JSON) and the CodePipeline it starts."
  type = map(object({
    description         = string
    event_pattern       = string
    target_pipeline_arn = string
    enabled             = optional(bool, true)
  }))
  nullable = false

  validation {
    condition     = length(var.rules) > 0 && alltrue([for k, r in var.rules : can(regex("^[a-z0-9-]{1,30}$", k)) && can(jsondecode(r.event_pattern).source)])
    error_message = "Give at least one rule; keys are 1-30 lowercase letters, digits and hyphens, and each event_pattern is JSON with a source."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : can(regex("^arn:aws[a-zA-Z-]*:codepipeline:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9.@_-]+$", r.target_pipeline_arn))])
    error_message = "target_pipeline_arn must be a CodePipeline ARN."
  }
}

variable "tags" {
  description = "Tags for the rules and the role."
  type        = map(string)
  default     = {}
  nullable    = false
}
