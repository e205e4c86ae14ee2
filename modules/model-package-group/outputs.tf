output "arn" {
  description = "ARN of the model package group."
  value       = aws_sagemaker_model_package_group.this.arn
}

output "name" {
  description = "Name of the model package group, available once its resource policy (if any) is in place."
  value       = aws_sagemaker_model_package_group.this.model_package_group_name

  depends_on = [aws_sagemaker_model_package_group_policy.this]
}
