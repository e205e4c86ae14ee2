# Region and credentials come from the environment of whoever applies the catalog (AWS_REGION, AWS_PROFILE).
provider "aws" {
  default_tags {
    tags = var.tags
  }
}
