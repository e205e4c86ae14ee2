output "event_pattern" {
  description = "Event pattern of the CodeCommit branch rule (null for a CodeConnections repository)."
  value       = try(local.rules.branches.event_pattern, null)
}

output "function_arn" {
  description = "ARN of the function (the experiments CodePipeline's Lambda action and the pipeline role's lambda:InvokeFunction name it)."
  value       = module.function.arn
}

output "function_name" {
  description = "Name of the function."
  value       = module.function.function_name
}

output "role_arn" {
  description = "ARN of the function's role."
  value       = module.function.role_arn
}
