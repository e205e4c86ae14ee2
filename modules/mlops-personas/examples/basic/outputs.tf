output "policy_arns" {
  description = "Managed policy ARNs by persona."
  value       = module.personas.policy_arns
}

output "role_arns" {
  description = "Persona role ARNs by role key."
  value       = module.personas.role_arns
}
