output "role_arn" {
  description = "ARN of the events role."
  value       = aws_iam_role.this.arn
}

output "rule_arns" {
  description = "ARNs of the rules, by key."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.arn }
}

output "rule_names" {
  description = "Names of the rules, by key."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.name }
}
