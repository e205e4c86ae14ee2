output "function_name" {
  description = "Name of the function."
  value       = module.function.function_name
}
