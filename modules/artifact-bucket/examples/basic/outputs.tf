output "bucket_name" {
  description = "Name of the bucket."
  value       = module.bucket.name
}

output "kms_key_arn" {
  description = "ARN of the key that encrypts the bucket."
  value       = module.bucket.kms_key_arn
}
