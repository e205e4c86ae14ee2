variable "account_id" {
  description = "ID of the AWS account the catalog, the projects and the launch roles live in (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "artifact_bucket_arn" {
  description = "ARN of the catalog bucket that holds the packaged products: the launch roles read its objects (the engine downloads the artifact with the launch role)."
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

variable "name_prefix" {
  description = "Prefix of the launch role names (<name_prefix>-launch-<product>): 1-24 characters, a letter, then letters, digits and hyphens."
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

variable "permissions_boundary" {
  description = "The managed policy every role a product creates must carry as its permissions boundary: its path and name (the products compute its ARN from them) and its document. The launch roles may create and change roles only with it (iam:PermissionsBoundary), and may neither remove it from a role nor change it."
  type = object({
    name        = string
    path        = string
    policy_json = string
  })
  nullable = false

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.permissions_boundary.name)) && can(regex("^/([\\x21-\\x7E]+/)?$", var.permissions_boundary.path))
    error_message = "permissions_boundary needs a policy name (1-128 of letters, digits and +=,.@_-) and a path starting and ending with /."
  }

  validation {
    condition     = can(jsondecode(var.permissions_boundary.policy_json).Statement)
    error_message = "permissions_boundary.policy_json must be a JSON policy document with a Statement."
  }
}

variable "products" {
  description = "Products of the catalog, keyed by a stable product key (lowercase, hyphens): launch_policy_json is exactly what the product's Terraform creates and manages; its launch role gets it as an inline policy."
  type = map(object({
    launch_policy_json = string
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.products) : can(regex("^[a-z0-9]+(-[a-z0-9]+)*$", k)) && length("${var.name_prefix}-launch-${k}") <= 64])
    error_message = "products keys must be lowercase letters and digits separated by single hyphens, short enough that the launch role name <name_prefix>-launch-<product> fits IAM's 64 characters (${64 - length("${var.name_prefix}-launch-")} with this name_prefix); too long: ${join(", ", [for k in keys(var.products) : k if length("${var.name_prefix}-launch-${k}") > 64])}."
  }

  validation {
    condition     = alltrue([for p in values(var.products) : can(jsondecode(p.launch_policy_json).Statement)])
    error_message = "products launch_policy_json must be a JSON policy document with a Statement."
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

variable "tags" {
  description = "Tags for the launch roles and the boundary policy."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "terraform_engine_role_arn_patterns" {
  description = "ARN patterns (StringLike on aws:PrincipalArn) of the Service Catalog Terraform engine roles that assume the launch roles. Null: the reference engine's TerraformEngine/ roles in this account; []: only servicecatalog.amazonaws.com."
  type        = list(string)
  default     = null

  validation {
    condition     = alltrue([for p in(var.terraform_engine_role_arn_patterns == null ? [] : var.terraform_engine_role_arn_patterns) : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", p))])
    error_message = "terraform_engine_role_arn_patterns must hold IAM role ARNs or patterns (arn:<partition>:iam::<account>:role/<path/name*>)."
  }
}
