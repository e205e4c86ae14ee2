output "function_name" {
  description = "Name of the teardown function."
  value       = module.project_teardown.function_name
}
