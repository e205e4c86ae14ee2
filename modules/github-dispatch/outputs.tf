output "environment" {
  description = "The function's environment: REPOSITORIES (JSON list), SECRET_ARN, EVENT_TYPE, GITHUB_API_URL."
  value       = local.environment
}

output "event_pattern" {
  description = "Event pattern of the rule: the group's Approved and Rejected model package state changes."
  value       = local.event_pattern
}

output "function_arn" {
  description = "ARN of the function."
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

output "rule_arn" {
  description = "ARN of the EventBridge rule that invokes the function."
  value       = aws_cloudwatch_event_rule.this.arn
}
