variable "name" {
  description = "Name of the example portfolio."
  type        = string
  default     = "SageMaker organization templates"
}

variable "share_account_ids" {
  description = "Accounts the portfolio is shared with."
  type        = set(string)
  default     = []
}
