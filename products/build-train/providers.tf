# Bare on purpose: the Service Catalog Terraform engine writes provider_override.tf.json at provisioning
# time (region, assume_role with the product's launch role, default_tags from the provisioned product's tags).
provider "aws" {}
