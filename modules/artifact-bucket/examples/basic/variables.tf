variable "force_destroy" {
  description = "Let terraform destroy delete the bucket with its objects (for throw-away examples)."
  type        = bool
  default     = false
}

variable "name" {
  description = "Name of the example project; the bucket is <name>-artifacts-<account>-<region>."
  type        = string
  default     = "example-project"
}

variable "region" {
  description = "AWS region of the bucket and its key."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default = {
    "sagemaker:project-name" = "example-project"
    "sagemaker:project-id"   = "p-example12345"
  }
}
