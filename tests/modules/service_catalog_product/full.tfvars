name                = "mlops-build-deploy"
owner               = "ML platform team"
description         = "Model building, training and deployment with CodePipeline"
distributor         = "ML platform team"
support_description = "Ask in #ml-platform"
support_email       = "ml-platform@example.com"
support_url         = "https://wiki.example.com/ml-platform"
product_type        = "TERRAFORM_CLOUD"
initial_version     = "1.0.0"
versions = {
  "0.9.0" = { template_url = "https://artifacts.s3.eu-west-1.amazonaws.com/p/0.9.0.tar.gz", description = "Preview", guidance = "DEPRECATED", active = false }
  "1.0.0" = { template_url = "https://artifacts.s3.eu-west-1.amazonaws.com/p/1.0.0.tar.gz", description = "First release" }
  "1.1.0" = { template_url = "https://artifacts.s3.eu-west-1.amazonaws.com/p/1.1.0.tar.gz", description = "Staging approval" }
}
retired_versions = ["0.8.0"]
portfolio_ids    = { main = "port-aaaaaaaaaaaaa", fraud = "port-bbbbbbbbbbbbb" }
tag_option_ids   = { "team=fraud" = "tag-aaaaaaaaaaaaa" }
launch_role_name = "SCLaunchRole"
tags             = { owner = "ml-platform", "sagemaker:studio-visibility" = "false" }
