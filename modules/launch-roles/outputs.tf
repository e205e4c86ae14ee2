output "permissions_boundary_arn" {
  description = "ARN of the permissions boundary every role of a product must carry, available once the policy exists."
  value       = aws_iam_policy.boundary.arn
}

output "role_arns" {
  description = "ARNs of the launch roles by product key (for the products' launch constraints), available once their policies are attached."
  value       = { for k, r in aws_iam_role.this : k => r.arn }

  depends_on = [aws_iam_role_policy.product, aws_iam_role_policy.engine, aws_iam_role_policy.boundary_guard]
}

output "role_names" {
  description = "Names of the launch roles by product key (a launch constraint may name its role by LocalRoleName)."
  value       = local.role_names
}
