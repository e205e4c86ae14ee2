output "arn" {
  description = "ARN of the role (the workflows' role-to-assume), available once its policies are attached."
  value       = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this]
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "subjects" {
  description = "The `sub` claims the trust policy accepts, sorted."
  value       = local.subjects
}

output "unique_id" {
  description = "Stable unique ID of the role (for aws:userid conditions)."
  value       = aws_iam_role.this.unique_id
}
