variable "description" {
  description = "Description of the product, shown in SageMaker Studio's template list."
  type        = string
  default     = null
}

variable "distributor" {
  description = "Distributor (vendor) of the product."
  type        = string
  default     = null
}

variable "initial_version" {
  description = "The version the product is created with (Service Catalog needs one at creation); default: the first key of versions in sorted order. Set it once more versions exist, so that a new version that sorts first cannot take its place."
  type        = string
  default     = null

  validation {
    condition     = var.initial_version == null ? true : contains(keys(var.versions), var.initial_version)
    error_message = "initial_version must be a key of versions."
  }

  validation {
    condition = alltrue([
      for name, v in var.versions : v.active && v.guidance == "DEFAULT"
      if name == try(coalesce(var.initial_version, sort(keys(var.versions))[0]), null)
    ])
    error_message = "The initial version is created with the product and Terraform cannot change its active or guidance: keep it active with guidance DEFAULT (deprecate it in Service Catalog directly, see README)."
  }
}

variable "launch_role_name" {
  description = "Name (not ARN) of the IAM role Service Catalog provisions the product with, as a LAUNCH constraint in every portfolio of portfolio_ids. A LocalRoleName lets each account a portfolio is shared with use its own role of that name. Null: no launch constraint."
  type        = string
  default     = null

  validation {
    condition     = var.launch_role_name == null ? true : can(regex("^[a-zA-Z0-9+=,.@_-]{1,64}$", var.launch_role_name))
    error_message = "launch_role_name must be an IAM role name (1-64 letters, digits and +=,.@_-), not an ARN."
  }
}

variable "name" {
  description = "Name of the product, shown in SageMaker Studio as the template name."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 8191
    error_message = "name must hold 1-8191 characters."
  }
}

variable "owner" {
  description = "Owner of the product (team or person)."
  type        = string

  validation {
    condition     = length(var.owner) >= 1 && length(var.owner) <= 8191
    error_message = "owner must hold 1-8191 characters."
  }
}

variable "portfolio_ids" {
  description = "Portfolios the product belongs to: stable key -> portfolio ID (port-...). A map, so that IDs known only after apply (from modules/service-catalog-portfolio) can be used."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "product_type" {
  description = "Product and provisioning artifact type: EXTERNAL for the Service Catalog Terraform engine (it replaced TERRAFORM_OPEN_SOURCE), TERRAFORM_CLOUD for HCP Terraform."
  type        = string
  default     = "EXTERNAL"
  nullable    = false

  validation {
    condition     = contains(["EXTERNAL", "TERRAFORM_CLOUD"], var.product_type)
    error_message = "product_type must be EXTERNAL (Service Catalog Terraform engine) or TERRAFORM_CLOUD."
  }
}

variable "retired_versions" {
  description = "Published versions that may be deleted from Service Catalog. A version missing from versions is deleted only when it is listed here; otherwise the plan stops (see README)."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(setintersection(var.retired_versions, keys(var.versions))) == 0
    error_message = "retired_versions must not name a version that is still in versions."
  }
}

variable "support_description" {
  description = "Support information about the product."
  type        = string
  default     = null
}

variable "support_email" {
  description = "Contact email for product support."
  type        = string
  default     = null

  validation {
    condition     = var.support_email == null ? true : can(regex("^[^@\\s]+@[^@\\s]+$", var.support_email))
    error_message = "support_email must be an email address."
  }
}

variable "support_url" {
  description = "Contact URL for product support."
  type        = string
  default     = null

  validation {
    condition     = var.support_url == null ? true : can(regex("^https?://", var.support_url))
    error_message = "support_url must be an http(s) URL."
  }
}

variable "tag_option_ids" {
  description = "TagOptions associated with the product itself (those of its portfolios apply anyway): stable key -> TagOption ID, e.g. the tag_option_ids output of modules/service-catalog-portfolio."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "tags" {
  description = "Tags for the product; sagemaker:studio-visibility = true is always added."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "versions" {
  description = "Versions (provisioning artifacts) by name, e.g. 1.0.0: template_url is the HTTPS URL of the packaged artifact (tar.gz of the product's root config), guidance DEFAULT or DEPRECATED (no new launches), active = false hides the version. Never remove a published version: see retired_versions."
  type = map(object({
    template_url = string
    description  = optional(string, "")
    guidance     = optional(string, "DEFAULT")
    active       = optional(bool, true)
  }))
  nullable = false

  validation {
    condition     = length(var.versions) > 0
    error_message = "versions must hold at least one version."
  }

  validation {
    condition     = alltrue([for v in values(var.versions) : contains(["DEFAULT", "DEPRECATED"], v.guidance)])
    error_message = "versions[*].guidance must be DEFAULT or DEPRECATED."
  }

  validation {
    condition     = alltrue([for v in values(var.versions) : startswith(v.template_url, "https://")])
    error_message = "versions[*].template_url must start with https://."
  }

  validation {
    condition     = alltrue([for name in keys(var.versions) : can(regex("^\\S+$", name)) && length(name) <= 8192])
    error_message = "version names must hold 1-8192 characters and no spaces."
  }
}
