variable "connection_arn" {
  description = "ARN of the AWS CodeConnections (or CodeStar Connections) connection to the third-party provider; provider_type codeconnections only."
  type        = string
  default     = null

  validation {
    condition     = var.connection_arn == null || can(regex("^arn:aws[a-zA-Z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", var.connection_arn))
    error_message = "connection_arn must be a connection ARN: arn:<partition>:codeconnections:<region>:<account>:connection/<uuid> (or the older codestar-connections form)."
  }

  validation {
    condition     = (var.connection_arn != null) == (var.provider_type == "codeconnections")
    error_message = "connection_arn is required with provider_type = \"codeconnections\" and not allowed with \"codecommit\"."
  }
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
  description = "Full id of the existing third-party repository: owner/name (GitHub, Bitbucket: workspace/name), or group/subgroup/name (GitLab); provider_type codeconnections only."
  type        = string
  default     = null

  validation {
    condition     = var.full_repository_id == null || can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.full_repository_id))
    error_message = "full_repository_id must be owner/name (GitLab: group/subgroup/name): letters, digits, ., _ and -, separated by /."
  }

  validation {
    condition     = (var.full_repository_id != null) == (var.provider_type == "codeconnections")
    error_message = "full_repository_id is required with provider_type = \"codeconnections\" and not allowed with \"codecommit\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the CodeCommit repository (provider_type codecommit only, where it is required)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }

  validation {
    condition     = var.kms_key_arn != null || var.provider_type != "codecommit"
    error_message = "kms_key_arn is required with provider_type = \"codecommit\"."
  }
}

variable "name" {
  description = "Name of the CodeCommit repository (1-100 letters, digits, ., _ and -; not ending in .git); provider_type codecommit only, where it is required."
  type        = string
  default     = null

  validation {
    condition     = var.name == null || (can(regex("^[A-Za-z0-9._-]{1,100}$", var.name)) && !endswith(coalesce(var.name, "-"), ".git"))
    error_message = "name must be 1-100 letters, digits, ., _ and - and must not end in .git."
  }

  validation {
    condition     = (var.name != null) == (var.provider_type == "codecommit")
    error_message = "name is required with provider_type = \"codecommit\" and not allowed with \"codeconnections\" (the repository exists: give full_repository_id)."
  }
}

variable "provider_type" {
  description = "Where the repository lives: codecommit (a new CodeCommit repository, created here), codeconnections (an existing GitHub, GitHub Enterprise Server, GitLab, GitLab self-managed or Bitbucket repository, reached through connection_arn) or anygit (an existing repository on any git server reachable over HTTPS, repository_url, with the credentials of secret_arn)."
  type        = string
  default     = "codecommit"
  nullable    = false

  validation {
    condition     = contains(["codecommit", "codeconnections", "anygit"], var.provider_type)
    error_message = "provider_type must be codecommit, codeconnections or anygit."
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

variable "repository_url" {
  description = "HTTPS URL of the existing repository (e.g. https://dev.azure.com/org/project/_git/name); provider_type anygit only, where it is required. No credentials in it: they come from secret_arn."
  type        = string
  default     = null

  validation {
    condition     = var.repository_url == null || can(regex("^https://[^/@\\s]+/\\S+$", var.repository_url))
    error_message = "repository_url must be an https:// URL without credentials in it (they come from secret_arn)."
  }

  validation {
    condition     = (var.repository_url != null) == (var.provider_type == "anygit")
    error_message = "repository_url is required with provider_type = \"anygit\" and not allowed with the others."
  }
}

variable "secret_arn" {
  description = "Secrets Manager secret with the credentials of the repository ({username, token}); provider_type anygit only, where it is required."
  type        = string
  default     = null

  validation {
    condition     = var.secret_arn == null || can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.secret_arn))
    error_message = "secret_arn must be a Secrets Manager secret ARN."
  }

  validation {
    condition     = (var.secret_arn != null) == (var.provider_type == "anygit")
    error_message = "secret_arn is required with provider_type = \"anygit\" and not allowed with the others."
  }
}

variable "seed" {
  description = "Seed code pushed once into default_branch by the seed-push function (modules/seed-push-function: kind codecommit for a CodeCommit repository, git for a third-party one); a branch that already has commits is left alone. Null: no seed code. files: project-specific text files the first commit carries besides the zip's ({path = content}, e.g. .github/sagemaker-project.json rendered at project creation; at most 20, each at most 1 MiB, no path of the zip; third-party repositories only)."
  type = object({
    function_name  = string
    bucket         = string
    key            = string
    commit_message = optional(string, "Initial commit: seed code")
    author_name    = optional(string, "sagemaker-mlops-templates")
    author_email   = optional(string, "noreply@example.com")
    files          = optional(map(string), {})
  })
  default = null

  validation {
    condition     = length(try(var.seed.files, {})) == 0 || var.provider_type != "codecommit"
    error_message = "seed.files is not supported with provider_type = \"codecommit\": the CodeCommit seed-push function copies the zip only. Put the files in the seed code, or use a third-party repository."
  }
}

variable "tags" {
  description = "Tags for the repository."
  type        = map(string)
  default     = {}
  nullable    = false
}
