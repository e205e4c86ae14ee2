output "function_name" {
  description = "Name of the teardown function."
  value       = module.function.function_name
}

output "policy_json" {
  description = "What the teardown function may do besides logging (IAM policy document)."
  value       = data.aws_iam_policy_document.this.json
}

output "role_arn" {
  description = "ARN of the teardown function's role."
  value       = module.function.role_arn
}
