output "arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "function_name" {
  description = "Name of the function, available once the function exists (what an aws_lambda_invocation takes)."
  value       = aws_lambda_function.this.function_name
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "role_arn" {
  description = "ARN of the function's role."
  value       = module.role.arn
}
