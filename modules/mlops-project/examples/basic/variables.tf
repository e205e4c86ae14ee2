variable "project_id" {
  description = "ID of the SageMaker project."
  type        = string
  default     = "p-example12345"
}

variable "project_name" {
  description = "Name of the SageMaker project."
  type        = string
  default     = "example"
}

variable "region" {
  description = "Region of the project."
  type        = string
  default     = "eu-west-1"
}
