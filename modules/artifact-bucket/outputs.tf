output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the bucket."
  value       = var.kms_key_arn

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.this]
}

output "name" {
  description = "Name of the bucket, available once its encryption, versioning, public access block and policy are in place."
  value       = aws_s3_bucket.this.id

  depends_on = [
    aws_s3_bucket_policy.this,
    aws_s3_bucket_public_access_block.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_versioning.this,
  ]
}

output "policy" {
  description = "Bucket policy document (JSON)."
  value       = data.aws_iam_policy_document.merged.json
}
