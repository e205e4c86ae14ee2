output "group_name" {
  description = "Name of the model package group."
  value       = module.model_package_group.name
}
