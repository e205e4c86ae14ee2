variable "audience" {
  description = "The `aud` claim the tokens must carry: the client ID registered on the OIDC provider (sts.amazonaws.com, what aws-actions/configure-aws-credentials asks for)."
  type        = string
  default     = "sts.amazonaws.com"
  nullable    = false

  validation {
    condition     = can(regex("^[\\x21-\\x7E]{1,255}$", var.audience)) && !strcontains(var.audience, "*")
    error_message = "audience must be 1-255 printable characters without spaces or wildcards."
  }
}

variable "description" {
  description = "Description of the role."
  type        = string
  default     = "GitHub Actions role created by sagemaker-mlops-templates"
  nullable    = false
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

variable "oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider (the catalog's, published in SSM): arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com, or a GitHub Enterprise Server host and path."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:oidc-provider/[a-zA-Z0-9.-]+(/[\\x21-\\x7E]+)?$", var.oidc_provider_arn)) && !strcontains(var.oidc_provider_arn, "*")
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<host>[/<path>])."
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
  description = "Inline policies (JSON documents) keyed by policy name: what the workflows may do with the role."
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

variable "repositories" {
  description = "The repositories (full names owner/repo, as GitHub spells them: the claims are compared case-sensitively) whose workflows may assume the role: on the listed branches (sub repo:<owner>/<repo>:ref:refs/heads/<branch>) and in the listed environments (sub repo:<owner>/<repo>:environment:<name>). Exact names only, no wildcards."
  type = list(object({
    full_name    = string
    branches     = optional(list(string), [])
    environments = optional(list(string), [])
  }))
  nullable = false

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for r in var.repositories : length(r.branches) + length(r.environments) > 0])
    error_message = "repositories must hold at least one repository, each with at least one branch or environment."
  }

  validation {
    condition     = alltrue([for r in var.repositories : can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", r.full_name))])
    error_message = "repositories full_name must be owner/repo: an owner of letters, digits and hyphens, a name of letters, digits and ._-."
  }

  validation {
    condition = alltrue(flatten([for r in var.repositories : [
      for b in r.branches : can(regex("^[A-Za-z0-9_][A-Za-z0-9._/-]{0,243}$", b)) && !strcontains(b, "..") && !strcontains(b, "//") && !endswith(b, "/") && !endswith(b, ".") && !endswith(b, ".lock")
    ]]))
    error_message = "repositories branches must be exact branch names (letters, digits and ._/-; no wildcards, spaces, '..', '//', or a trailing '/', '.' or '.lock')."
  }

  validation {
    condition     = alltrue(flatten([for r in var.repositories : [for e in r.environments : can(regex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$", e))]]))
    error_message = "repositories environments must be exact environment names of letters, digits and ._- (no wildcards)."
  }
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
  nullable    = false
}
