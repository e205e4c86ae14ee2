variable "name_prefix" {
  description = "Prefix of the policy and role names."
  type        = string
  default     = "mlops"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Tags for the launch roles and the boundary."
  type        = map(string)
  default = {
    owner = "platform-team"
  }
}
