variable "name" {
  description = "Name of the example project."
  type        = string
  default     = "example-project"
}

variable "read_account_ids" {
  description = "Accounts that may read the group's packages."
  type        = list(string)
  default     = []
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}
