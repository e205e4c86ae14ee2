output "arn" {
  description = "ARN of the CodeBuild project."
  value       = aws_codebuild_project.this.arn
}

output "log_group_name" {
  description = "Name of the build log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "name" {
  description = "Name of the CodeBuild project."
  value       = aws_codebuild_project.this.name
}
