output "permissions_boundary_arn" {
  description = "The boundary every role of a product must carry."
  value       = module.launch_roles.permissions_boundary_arn
}

output "role_arns" {
  description = "Launch role ARNs by product."
  value       = module.launch_roles.role_arns
}
