# The Studio parameters of this template: the Service Catalog engine offers every variable of the root .tf files as
# a provisioning parameter, so these two (passed by SageMaker itself) are all there is. The module validates them.

variable "SageMakerProjectId" {
  description = "ID of the SageMaker project (passed by SageMaker as a provisioning parameter), e.g. p-abcdef123456."
  type        = string
}

variable "SageMakerProjectName" {
  description = "Name of the SageMaker project (passed by SageMaker as a provisioning parameter)."
  type        = string
}
