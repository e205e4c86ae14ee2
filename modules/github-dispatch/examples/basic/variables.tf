variable "name" {
  description = "Name of the example project."
  type        = string
  default     = "example-project"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}
