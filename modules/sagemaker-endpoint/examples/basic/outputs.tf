output "endpoint_name" {
  description = "Name of the endpoint."
  value       = module.endpoint.endpoint_name
}
