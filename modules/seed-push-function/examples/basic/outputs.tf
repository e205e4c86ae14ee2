output "function_name" {
  description = "Name of the function."
  value       = module.seed_push_function.function_name
}
