output "alias_name" {
  description = "Alias of the key."
  value       = module.kms_key.alias_name
}

output "key_arn" {
  description = "ARN of the key."
  value       = module.kms_key.arn
}
