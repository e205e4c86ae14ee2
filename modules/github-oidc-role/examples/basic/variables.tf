variable "name" {
  description = "Name of the example project."
  type        = string
  default     = "example-project"
}

variable "owner" {
  description = "GitHub organisation or user owning the project's repositories."
  type        = string
  default     = "ml-team"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}
