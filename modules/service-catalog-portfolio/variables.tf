variable "description" {
  description = "Description of the portfolio, shown to administrators and (in SageMaker Studio) next to its products."
  type        = string
  default     = null

  validation {
    condition     = var.description == null ? true : length(var.description) <= 2000
    error_message = "description may hold at most 2000 characters."
  }
}

variable "name" {
  description = "Display name of the portfolio (1-100 characters)."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 100
    error_message = "name must hold 1-100 characters."
  }
}

variable "principal_arn_patterns" {
  description = "Stable key -> IAM_PATTERN principal ARN with no account ID and an optional wildcard, e.g. arn:aws:iam:::role/Team* (matches the role in this and every account the portfolio is shared with principal sharing)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for arn in values(var.principal_arn_patterns) : can(regex("^arn:aws[a-zA-Z-]*:iam:::(role|user|group)/.+$", arn))])
    error_message = "principal_arn_patterns must hold IAM_PATTERN ARNs without an account ID: arn:<partition>:iam:::(role|user|group)/<name or pattern>."
  }
}

variable "principal_arns" {
  description = "Stable key -> ARN of an IAM role, user or group of this account that may see and launch the portfolio's products (e.g. the SageMaker Studio execution role)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for arn in values(var.principal_arns) : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(role|user|group)/.+$", arn))])
    error_message = "principal_arns must hold IAM role, user or group ARNs: arn:<partition>:iam::<account>:(role|user|group)/<name>."
  }
}

variable "provider_name" {
  description = "Name of the person or team that provides the portfolio (1-50 characters), shown as its provider."
  type        = string

  validation {
    condition     = length(var.provider_name) >= 1 && length(var.provider_name) <= 50
    error_message = "provider_name must hold 1-50 characters."
  }
}

variable "share_account_ids" {
  description = "AWS account IDs the portfolio is shared with (ACCOUNT shares, with TagOptions). Each account must import the portfolio."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.share_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "share_account_ids must hold 12-digit AWS account IDs."
  }
}

variable "share_organization_node" {
  description = "AWS Organizations node the portfolio is shared with (TagOptions included): type ORGANIZATION or ORGANIZATIONAL_UNIT, value the ARN of the organization or OU (hashicorp/aws 5.x accepts ARNs only). share_principals also shares the principal_arn_patterns. Null: no organization share."
  type = object({
    type             = string
    value            = string
    share_principals = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.share_organization_node == null || contains(["ORGANIZATION", "ORGANIZATIONAL_UNIT"], try(var.share_organization_node.type, ""))
    error_message = "share_organization_node.type must be ORGANIZATION or ORGANIZATIONAL_UNIT."
  }

  validation {
    condition = var.share_organization_node == null || (
      try(var.share_organization_node.type, "") == "ORGANIZATION" ? can(regex("^arn:aws[a-zA-Z-]*:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$", var.share_organization_node.value)) :
      try(var.share_organization_node.type, "") == "ORGANIZATIONAL_UNIT" ? can(regex("^arn:aws[a-zA-Z-]*:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", var.share_organization_node.value)) :
      true
    )
    error_message = "share_organization_node.value must be the ARN of the organization (arn:<partition>:organizations::<management account>:organization/o-...) for ORGANIZATION, or of the OU (...:ou/o-.../ou-...-...) for ORGANIZATIONAL_UNIT."
  }
}

variable "tag_options" {
  description = "TagOption library of the portfolio: tag key -> allowed values, e.g. { team = [\"fraud\", \"churn\"] }. Users launching a product pick one value per key; the tag lands on the provisioned product."
  type        = map(list(string))
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for key, values in var.tag_options : length(key) >= 1 && length(key) <= 128 && !startswith(lower(key), "aws:")])
    error_message = "tag_options keys must hold 1-128 characters and must not start with aws:."
  }

  validation {
    condition     = alltrue([for key, values in var.tag_options : length(values) > 0 && length(distinct(values)) == length(values) && alltrue([for v in values : length(v) >= 1 && length(v) <= 256])])
    error_message = "tag_options values must be non-empty lists of distinct values of 1-256 characters."
  }
}

variable "tags" {
  description = "Tags for the portfolio."
  type        = map(string)
  default     = {}
  nullable    = false
}
