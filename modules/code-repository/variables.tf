variable "connection_arn" {
  description = "ARN of the CodeConnections connection (third-party providers only; reserved for a later version)."
  type        = string
  default     = null
}

variable "default_branch" {
  description = "Branch the pipelines follow and the seed code is pushed to."
  type        = string
  default     = "main"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.default_branch)) && !endswith(var.default_branch, ".lock")
    error_message = "default_branch must be a valid git branch name."
  }
}

variable "description" {
  description = "Description of the repository."
  type        = string
  default     = null
}

variable "full_repository_id" {
  description = "owner/name of an existing third-party repository (third-party providers only; reserved for a later version)."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the CodeCommit repository."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "name" {
  description = "Name of the repository (1-100 letters, digits, ., _ and -; not ending in .git)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.name)) && !endswith(var.name, ".git")
    error_message = "name must be 1-100 letters, digits, ., _ and - and must not end in .git."
  }
}

variable "provider_type" {
  description = "Where the repository lives: codecommit (implemented), or github, gitlab, bitbucket (through CodeConnections, in a later version)."
  type        = string
  default     = "codecommit"
  nullable    = false

  validation {
    condition     = contains(["codecommit", "github", "gitlab", "bitbucket"], var.provider_type)
    error_message = "provider_type must be one of codecommit, github, gitlab, bitbucket."
  }

  validation {
    condition     = var.provider_type == "codecommit"
    error_message = "Only provider_type = \"codecommit\" is implemented in this version; GitHub, GitLab and Bitbucket through CodeConnections (connection_arn, full_repository_id) come in a later version."
  }
}

variable "pull_request_approvals" {
  description = "Approvals a pull request into default_branch needs (an approval rule template associated with the repository); 0 for none."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.pull_request_approvals >= 0 && var.pull_request_approvals <= 10 && floor(var.pull_request_approvals) == var.pull_request_approvals
    error_message = "pull_request_approvals must be a whole number from 0 to 10."
  }
}

variable "seed" {
  description = "Seed code pushed once into default_branch after the repository exists, by the seed-push function (see modules/seed-push-function). Null: the repository starts empty."
  type = object({
    function_name  = string
    bucket         = string
    key            = string
    commit_message = optional(string, "Initial commit: seed code")
    author_name    = optional(string, "sagemaker-mlops-templates")
    author_email   = optional(string, "noreply@example.com")
  })
  default = null
}

variable "tags" {
  description = "Tags for the repository."
  type        = map(string)
  default     = {}
  nullable    = false
}
