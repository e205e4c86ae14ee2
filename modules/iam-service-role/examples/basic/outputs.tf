output "role_arn" {
  description = "ARN of the role."
  value       = module.role.arn
}

output "role_name" {
  description = "Name of the role."
  value       = module.role.name
}
