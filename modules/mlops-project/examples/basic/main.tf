# A project as a product composes it, with its own stages: what a new template built on the module looks like.
provider "aws" {
  region = var.region
}

module "project" {
  source = "../.."

  project_name = var.project_name
  project_id   = var.project_id
  deploy_stages = [
    { name = "staging" },
    { name = "prod", instance_count = 2, autoscaling = { min_capacity = 2, max_capacity = 4, target_invocations_per_instance = 100 } },
  ]
  log_retention_in_days = 365
  tags                  = { team = "example" }
}
