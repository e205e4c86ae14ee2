# A SageMaker project template as a Terraform (EXTERNAL) product in a new portfolio, in two versions,
# provisioned by the Service Catalog Terraform engine with the local launch role SCLaunchRole.
provider "aws" {
  region = "eu-west-1"
}

module "portfolio" {
  source = "../../../service-catalog-portfolio"

  name          = "SageMaker organization templates"
  provider_name = "ML platform team"
  tag_options   = { team = ["fraud", "churn"] }
}

module "product" {
  source = "../.."

  name        = "mlops-build-deploy"
  owner       = "ML platform team"
  description = "Model building, training and deployment with CodePipeline"
  versions = {
    "1.0.0" = {
      template_url = "https://${var.artifact_bucket}.s3.eu-west-1.amazonaws.com/products/mlops-build-deploy/1.0.0.tar.gz"
      description  = "First release"
    }
    "1.1.0" = {
      template_url = "https://${var.artifact_bucket}.s3.eu-west-1.amazonaws.com/products/mlops-build-deploy/1.1.0.tar.gz"
      description  = "Adds a staging approval"
    }
  }
  initial_version  = "1.0.0"
  portfolio_ids    = { main = module.portfolio.id }
  launch_role_name = "SCLaunchRole"
  support_email    = "ml-platform@example.com"
  tags             = { owner = "ml-platform" }
}
