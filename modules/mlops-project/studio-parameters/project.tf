# The Studio parameters SageMaker passes to every project template (products/<name>/project_parameters.tf links
# here: a product's root .tf files are what the Service Catalog engine offers as parameters, and Terraform has no
# include). modules/mlops-project validates them. Not part of the module: Terraform reads only a module's top folder.

variable "SageMakerProjectId" {
  description = "ID of the SageMaker project (passed by SageMaker as a provisioning parameter), e.g. p-abcdef123456."
  type        = string
}

variable "SageMakerProjectName" {
  description = "Name of the SageMaker project (passed by SageMaker as a provisioning parameter)."
  type        = string
}
