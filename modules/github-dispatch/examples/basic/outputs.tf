output "function_name" {
  description = "Name of the github-dispatch function."
  value       = module.github_dispatch.function_name
}
