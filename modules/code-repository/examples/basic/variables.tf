variable "kms_key_arn" {
  description = "KMS key of the project."
  type        = string
  default     = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

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
