output "policy_arns" {
  description = "ARNs of the managed policies: platform_admin, data_scientist, lead_data_scientist, studio_execution, and team_isolation when teams are given."
  value       = local.policy_arns
}

output "role_arns" {
  description = "ARNs of the persona roles by role key (platform-admin, data-scientist[-<team>], lead-data-scientist[-<team>]), available once their policies are attached; empty unless create_roles."
  value       = { for k, r in aws_iam_role.persona : k => r.arn }

  depends_on = [aws_iam_role_policy_attachment.persona]
}

output "role_names" {
  description = "Names of the persona roles by role key; empty unless create_roles."
  value       = { for k, r in aws_iam_role.persona : k => r.name }
}

output "studio_execution_policy_arn" {
  description = "ARN of the Studio execution role additions, available once attached to studio_execution_role_names."
  value       = aws_iam_policy.studio_execution.arn

  depends_on = [aws_iam_role_policy_attachment.studio_execution]
}
