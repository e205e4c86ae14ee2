output "endpoint_arn" {
  description = "ARN of the stage's endpoint."
  value       = module.endpoint.endpoint_arn
}

output "endpoint_name" {
  description = "Name of the stage's endpoint."
  value       = module.endpoint.endpoint_name
}
