variable "account_id" {
  description = "ID of the AWS account that owns the group."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}


variable "description" {
  description = "Description of the model package group."
  type        = string
  default     = null
}


variable "name" {
  description = "Name of the model package group (1-63 letters, digits and hyphens, starting with a letter or digit)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must be 1-63 letters, digits and hyphens, start and end with a letter or digit."
  }
}


variable "read_account_ids" {
  description = "Other AWS account IDs that may read the group's model packages (multi-account deployment). Empty: no resource policy."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.read_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "read_account_ids must hold 12-digit AWS account IDs."
  }
}


variable "region" {
  description = "AWS region of the group (used in the resource policy's ARNs)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}


variable "tags" {
  description = "Tags for the group."
  type        = map(string)
  default     = {}
  nullable    = false
}
