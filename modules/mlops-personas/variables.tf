variable "account_id" {
  description = "ID of the AWS account the catalog, the projects and the roles live in (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "artifact_bucket_arn" {
  description = "ARN of the catalog bucket that holds the packaged products (mlops-templates upload): the platform admin reads and writes it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifact_bucket_arn))
    error_message = "artifact_bucket_arn must be an S3 bucket ARN (arn:<partition>:s3:::<bucket>), without a key."
  }
}

variable "artifact_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the catalog bucket (SSE-KMS); null when it uses SSE-S3."
  type        = string
  default     = null

  validation {
    condition     = var.artifact_kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.artifact_kms_key_arn))
    error_message = "artifact_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "create_roles" {
  description = "Create one IAM role per persona (per persona and team when teams are given), trusted by persona_trust_principal_arns, with the persona policies attached."
  type        = bool
  default     = false
  nullable    = false
}

variable "enforced_tag_keys" {
  description = "Tag keys every provisioned product and SageMaker project must carry: provisioning is allowed only when the request sets all of them."
  type        = list(string)
  default     = ["team", "cost-center"]
  nullable    = false

  validation {
    condition = length(var.enforced_tag_keys) > 0 && alltrue([
      for k in var.enforced_tag_keys : can(regex("^[\\w .:/=+@-]{1,128}$", k)) && !startswith(lower(k), "aws:")
    ])
    error_message = "enforced_tag_keys must hold at least one tag key (1-128 letters, digits, spaces and _.:/=+-@), none starting with aws:."
  }
}

variable "name_prefix" {
  description = "Prefix of every policy and role name (1-24 characters: a letter, then letters, digits and hyphens), e.g. mlops."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,23}$", var.name_prefix))
    error_message = "name_prefix must be 1-24 characters: a letter, then letters, digits and hyphens."
  }
}

variable "partition" {
  description = "AWS partition of the account (aws, aws-cn or aws-us-gov), used in every ARN."
  type        = string
  default     = "aws"
  nullable    = false

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.partition)
    error_message = "partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "persona_trust_principal_arns" {
  description = "IAM principals (role, user or account root ARNs) that may assume each persona role, keyed by role key: platform-admin, data-scientist and lead-data-scientist, or data-scientist-<team> and lead-data-scientist-<team> when teams are given. Required for every role key when create_roles is true."
  type        = map(list(string))
  default     = {}
  nullable    = false

  validation {
    condition = alltrue([
      for arns in values(var.persona_trust_principal_arns) : alltrue([
        for arn in arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", arn))
      ])
    ])
    error_message = "persona_trust_principal_arns values must hold IAM role, user or account root ARNs."
  }

  validation {
    condition = !var.create_roles || (
      toset(keys(var.persona_trust_principal_arns)) == toset(concat(
        ["platform-admin"],
        length(var.teams) == 0 ? ["data-scientist", "lead-data-scientist"] : flatten([for t in var.teams : ["data-scientist-${t}", "lead-data-scientist-${t}"]])
      ))
      && alltrue([for arns in values(var.persona_trust_principal_arns) : length(arns) > 0])
    )
    error_message = "With create_roles, persona_trust_principal_arns needs exactly one non-empty list per role key: platform-admin plus data-scientist and lead-data-scientist (or data-scientist-<team> and lead-data-scientist-<team> for every team)."
  }
}

variable "portfolio_arns" {
  description = "Service Catalog portfolios the platform admin manages (update, delete, principal and TagOption associations). Empty: every portfolio of the account in the region."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.portfolio_arns : can(regex("^arn:aws[a-zA-Z-]*:catalog:[a-z0-9-]+:[0-9]{12}:portfolio/port-[a-z0-9]+$", arn))])
    error_message = "portfolio_arns must hold Service Catalog portfolio ARNs (arn:<partition>:catalog:<region>:<account>:portfolio/port-<id>)."
  }
}

variable "region" {
  description = "AWS region of the catalog and the projects (used in ARNs)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "studio_execution_role_names" {
  description = "Names (without path) of existing SageMaker Studio execution roles to attach the Studio policy to (catalog use, project creation, project pipelines and buckets)."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for name in var.studio_execution_role_names : can(regex("^[\\w+=,.@-]{1,64}$", name))])
    error_message = "studio_execution_role_names must hold IAM role names (1-64 characters of letters, digits and +=,.@_-), not ARNs."
  }
}

variable "tags" {
  description = "Tags for every policy and role of the module."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "teams" {
  description = "Team names for team isolation: a team policy ties resources to the caller's team (aws:ResourceTag/team = aws:PrincipalTag/team) and, with create_roles, data scientist roles are created per team, tagged team=<name>. Requires team in enforced_tag_keys."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for t in var.teams : can(regex("^[a-z0-9][a-z0-9-]{0,15}$", t))])
    error_message = "teams must hold names of 1-16 lowercase letters, digits and hyphens, starting with a letter or digit."
  }

  validation {
    condition     = length(var.teams) == 0 || contains(var.enforced_tag_keys, "team")
    error_message = "teams needs team in enforced_tag_keys: isolation compares the team tag of requests and resources with the caller's."
  }
}
