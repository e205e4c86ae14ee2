output "alias_arn" {
  description = "ARN of the key's alias."
  value       = aws_kms_alias.this.arn
}

output "alias_name" {
  description = "Name of the key's alias, with the alias/ prefix."
  value       = aws_kms_alias.this.name
}

output "arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}

output "id" {
  description = "ID of the key."
  value       = aws_kms_key.this.key_id
}

output "policy" {
  description = "Key policy document (JSON)."
  value       = data.aws_iam_policy_document.this.json
}
