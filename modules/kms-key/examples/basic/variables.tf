variable "name" {
  description = "Name of the example project; the alias is <name>-artifacts."
  type        = string
  default     = "example-project"
}

variable "region" {
  description = "AWS region to create the key in."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default = {
    "sagemaker:project-name" = "example-project"
    "sagemaker:project-id"   = "p-example12345"
  }
}
