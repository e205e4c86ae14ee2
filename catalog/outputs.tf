output "access_log_bucket_name" {
  description = "Bucket receiving the S3 server access logs of the project buckets."
  value       = aws_s3_bucket.access_logs.id
}

output "artifact_bucket_name" {
  description = "Bucket to upload the packaged artifacts into (`mlops-templates upload` finds it through catalog_bucket_parameter_name)."
  value       = local.bucket_name
}

output "catalog_bucket_parameter_name" {
  description = "SSM parameter holding the bucket name."
  value       = aws_ssm_parameter.catalog_bucket.name
}

output "github_oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider (null unless github_oidc.enabled); products read it from github_oidc_provider_parameter_name."
  value       = local.github_oidc_provider_arn
}

output "github_oidc_provider_parameter_name" {
  description = "SSM parameter holding the GitHub OIDC provider's ARN (null unless github_oidc.enabled)."
  value       = one(aws_ssm_parameter.github_oidc_provider[*].name)
}

output "launch_role_arns" {
  description = "Launch role of each product, by product name."
  value       = module.launch_roles.role_arns
}

output "permissions_boundary_arn" {
  description = "Permissions boundary every role of a product carries (the launch roles create roles only with it)."
  value       = module.launch_roles.permissions_boundary_arn
}

output "persona_policy_arns" {
  description = "Managed policies of the personas (platform_admin, data_scientist, lead_data_scientist, studio_execution, team_isolation)."
  value       = module.personas.policy_arns
}

output "persona_role_arns" {
  description = "Persona roles by role key; empty unless create_persona_roles."
  value       = module.personas.role_arns
}

output "portfolio_ids" {
  description = "Portfolio ID of each team."
  value       = { for team, portfolio in module.portfolio : team => portfolio.id }
}

output "products" {
  description = "Every published product: its ID, the provisioning artifact ID of each version (what `mlops-templates launch` and SageMaker CreateProject take) and the teams whose portfolio offers it."
  value = {
    for name, product in module.product : name => {
      id       = product.id
      versions = product.version_ids
      teams    = sort(keys(product.launch_constraint_ids))
    }
  }
}

output "terraform_required_versions" {
  description = "Terraform each product needs (its required_version): the engine's TerraformCliVersion must satisfy all of them."
  value       = { for name, product in local.products : name => try(product.terraform_required_version, null) }
}
