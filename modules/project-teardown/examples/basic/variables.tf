variable "name" {
  description = "Name of the example project."
  type        = string
  default     = "example-project"
}

variable "project_id" {
  description = "ID of the example project."
  type        = string
  default     = "p-example00001"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}
