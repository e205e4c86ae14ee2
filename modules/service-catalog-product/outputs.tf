output "arn" {
  description = "ARN of the product."
  value       = aws_servicecatalog_product.this.arn
}

output "id" {
  description = "ID of the product (prod-...), available once it is in its portfolios with its launch constraints."
  value       = aws_servicecatalog_product.this.id

  depends_on = [
    aws_servicecatalog_product_portfolio_association.this,
    aws_servicecatalog_constraint.launch,
    aws_servicecatalog_tag_option_resource_association.this,
  ]
}

output "launch_constraint_ids" {
  description = "LAUNCH constraint IDs by portfolio key (empty without launch_role_name)."
  value       = { for k, c in aws_servicecatalog_constraint.launch : k => c.id }
}

output "name" {
  description = "Name of the product."
  value       = aws_servicecatalog_product.this.name
}

output "version_ids" {
  description = "Provisioning artifact IDs (pa-...) by version name."
  value = merge(
    { for a in data.aws_servicecatalog_provisioning_artifacts.published.provisioning_artifact_details : a.name => a.id if a.name == local.initial_version },
    { for name, artifact in aws_servicecatalog_provisioning_artifact.this : name => artifact.provisioning_artifact_id },
  )
}
