variable "access_log_bucket_parameter_name" {
  description = "SSM parameter the catalog writes the access log bucket's name into; the projects (modules/mlops-project) read it."
  type        = string
  default     = "/mlops-templates/access-log-bucket-name"
  nullable    = false

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.access_log_bucket_parameter_name))
    error_message = "access_log_bucket_parameter_name must be a fully qualified SSM parameter name (/path/name)."
  }
}

variable "access_log_retention_days" {
  description = "Days the S3 server access logs are kept."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = var.access_log_retention_days >= 1
    error_message = "access_log_retention_days must be at least 1."
  }
}

variable "artifact_bucket_name" {
  description = "Existing bucket that holds the packaged artifacts; null creates a KMS-encrypted, versioned catalog bucket (mlops-templates-catalog-<account>-<region>) with its key."
  type        = string
  default     = null
}

variable "artifact_kms_key_arn" {
  description = "KMS key of an existing artifact_bucket_name (null when the catalog creates the bucket, or when that bucket uses SSE-S3)."
  type        = string
  default     = null
}

variable "catalog_bucket_parameter_name" {
  description = "SSM parameter the catalog writes the bucket name into; `mlops-templates upload` and the products read it."
  type        = string
  default     = "/mlops-templates/catalog-bucket-name"
  nullable    = false

  validation {
    condition     = can(regex("^/[a-zA-Z0-9_.\\-/]{1,1000}$", var.catalog_bucket_parameter_name))
    error_message = "catalog_bucket_parameter_name must be a fully qualified SSM parameter name starting with /."
  }
}

variable "create_persona_roles" {
  description = "Create the persona roles (platform admin, data scientist and lead per team), trusted by persona_trust_principal_arns; false creates the policies only."
  type        = bool
  default     = false
  nullable    = false
}

variable "github_oidc" {
  description = "The account's GitHub OIDC identity provider for projects whose CI is GitHub Actions: enabled creates it (one per URL and account) for url (https://token.actions.githubusercontent.com, or https://<host>/_services/token of a GitHub Enterprise Server) and audience (the client ID, sts.amazonaws.com for aws-actions/configure-aws-credentials), and publishes its ARN in the SSM parameter parameter_name; existing_provider_arn publishes a provider the account already has instead of creating one."
  type = object({
    enabled               = optional(bool, false)
    url                   = optional(string, "https://token.actions.githubusercontent.com")
    audience              = optional(string, "sts.amazonaws.com")
    existing_provider_arn = optional(string)
    parameter_name        = optional(string, "/mlops-templates/github-oidc-provider-arn")
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^https://[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(/[a-zA-Z0-9._~-]+)*$", var.github_oidc.url)) && length(var.github_oidc.url) <= 255
    error_message = "github_oidc.url must be an https:// URL without port, query or trailing slash: https://token.actions.githubusercontent.com, or https://<host>/_services/token for GitHub Enterprise Server."
  }

  validation {
    condition     = can(regex("^[\\x21-\\x7E]{1,255}$", var.github_oidc.audience)) && !strcontains(var.github_oidc.audience, "*")
    error_message = "github_oidc.audience must be 1-255 printable characters without spaces or wildcards (sts.amazonaws.com)."
  }

  validation {
    condition     = var.github_oidc.existing_provider_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:oidc-provider/.+$", coalesce(var.github_oidc.existing_provider_arn, "-")))
    error_message = "github_oidc.existing_provider_arn must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<host>) or null."
  }

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.github_oidc.parameter_name))
    error_message = "github_oidc.parameter_name must be a fully qualified SSM parameter name (/path/name)."
  }
}

variable "manifest_path" {
  description = "The manifest written by `mlops-templates package`, relative to this folder or absolute. While it does not exist the catalog creates only the bucket, portfolios and personas (the first apply, before the first upload)."
  type        = string
  default     = "../dist/manifest.json"
  nullable    = false
}

variable "name_prefix" {
  description = "Prefix of the catalog's portfolio, role and policy names."
  type        = string
  default     = "mlops"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.name_prefix))
    error_message = "name_prefix must be 1-16 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "persona_trust_principal_arns" {
  description = "With create_persona_roles: principals that may assume each persona role, by role key (platform-admin, data-scientist-<team>, lead-data-scientist-<team>)."
  type        = map(list(string))
  default     = {}
  nullable    = false
}

variable "portfolio_provider_name" {
  description = "Provider name shown on every portfolio."
  type        = string
  default     = "ML Platform Team"
  nullable    = false
}

variable "product_type" {
  description = "Product type: EXTERNAL for the Service Catalog Terraform engine, TERRAFORM_CLOUD for HCP Terraform."
  type        = string
  default     = "EXTERNAL"
  nullable    = false
}

variable "retired_versions" {
  description = "Published versions that may be deleted, by product name. A version that leaves the manifest without being listed here stops the plan: published versions are never deleted by accident."
  type        = map(set(string))
  default     = {}
  nullable    = false
}

variable "studio_execution_role_names" {
  description = "Existing SageMaker Studio execution roles that get the Studio policy (launch projects, read their pipelines and buckets)."
  type        = set(string)
  default     = []
  nullable    = false
}

variable "tag_options" {
  description = "TagOptions shared by every product besides team, as allowed values per tag key (e.g. cost-center = [\"cc-100\", \"cc-200\"]). Every key, and team, must be set when a project is provisioned."
  type        = map(list(string))
  default     = {}
  nullable    = false

  validation {
    condition     = !contains(keys(var.tag_options), "team")
    error_message = "tag_options must not define team: the team TagOption of each portfolio comes from var.teams."
  }

  validation {
    condition     = alltrue([for values in values(var.tag_options) : length(values) > 0])
    error_message = "Every tag_options key needs at least one allowed value."
  }
}

variable "tags" {
  description = "Tags on every resource of the catalog (provider default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "teams" {
  description = "One portfolio per team: the principals that see it in SageMaker Studio (role ARNs and IAM_PATTERN ARNs by stable key), the products it offers (null: all) and the accounts it is shared with."
  type = map(object({
    description            = optional(string)
    principal_arns         = optional(map(string), {})
    principal_arn_patterns = optional(map(string), {})
    products               = optional(set(string))
    share_account_ids      = optional(set(string), [])
  }))
  nullable = false

  validation {
    condition     = length(var.teams) > 0
    error_message = "teams needs at least one team: each team gets its own portfolio."
  }

  validation {
    condition     = alltrue([for name in keys(var.teams) : can(regex("^[a-z0-9][a-z0-9-]{0,15}$", name))])
    error_message = "Team names must be 1-16 lowercase letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "terraform_engine_cli_version" {
  description = "The TerraformCliVersion the Service Catalog Terraform engine was installed with (its default is 1.2.8): the plan stops when a product needs a newer Terraform. Null skips the check."
  type        = string
  default     = null

  validation {
    condition     = var.terraform_engine_cli_version == null || can(regex("^\\d+\\.\\d+\\.\\d+$", var.terraform_engine_cli_version))
    error_message = "terraform_engine_cli_version must be a Terraform version such as 1.9.8."
  }
}

variable "terraform_engine_role_arn_patterns" {
  description = "ARN patterns of the Service Catalog Terraform engine roles that assume the launch roles; null: the reference engine's TerraformEngine/ roles in this account."
  type        = list(string)
  default     = null
}
