variable "artifact_bucket" {
  description = "Bucket that holds the packaged product artifacts."
  type        = string
  default     = "example-mlops-artifacts"
}
