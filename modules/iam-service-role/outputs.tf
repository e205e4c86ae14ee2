output "arn" {
  description = "ARN of the role, available once its policies are attached."
  value       = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.this]
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "unique_id" {
  description = "Stable unique ID of the role (for aws:userid conditions)."
  value       = aws_iam_role.this.unique_id
}
