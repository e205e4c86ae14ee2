output "role_arn" {
  description = "ARN of the role (role-to-assume of aws-actions/configure-aws-credentials)."
  value       = module.role.arn
}

output "subjects" {
  description = "The sub claims the role accepts."
  value       = module.role.subjects
}
