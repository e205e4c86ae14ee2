output "function_name" {
  description = "Name of the branch-pipelines function."
  value       = module.branch_pipelines.function_name
}
