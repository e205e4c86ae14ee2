output "exports" {
  description = "What the first export of each target reported ({status = exported|unchanged, commit, key}); empty without export_on_create."
  value       = { for name, invocation in aws_lambda_invocation.export : name => jsondecode(invocation.result) }
}

output "function_name" {
  description = "Name of the webhook function."
  value       = module.function.function_name
}

output "role_arn" {
  description = "ARN of the webhook function's role."
  value       = module.function.role_arn
}

output "urls" {
  description = "Webhook URL of each target, to register as the repository's push webhook (content type application/json, secret: the secret's webhook_secret)."
  value       = { for name in keys(var.targets) : name => "${aws_apigatewayv2_stage.this.invoke_url}${name}" }
}
