output "arn" {
  description = "ARN of the function."
  value       = module.function.arn
}

output "function_name" {
  description = "Name of the function (what code-repository's seed.function_name takes)."
  value       = module.function.function_name
}

output "handler" {
  description = "Handler the function runs: seed_push.handler (kind codecommit) or git_seed.handler (kind git)."
  value       = local.handler
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = module.function.log_group_name
}

output "role_arn" {
  description = "ARN of the function's role."
  value       = module.function.role_arn
}
