output "arn" {
  description = "ARN of the portfolio."
  value       = aws_servicecatalog_portfolio.this.arn
}

output "id" {
  description = "ID of the portfolio (port-...), available once its principals and TagOptions are associated."
  value       = aws_servicecatalog_portfolio.this.id

  depends_on = [
    aws_servicecatalog_principal_portfolio_association.iam,
    aws_servicecatalog_principal_portfolio_association.iam_pattern,
    aws_servicecatalog_tag_option_resource_association.this,
  ]
}

output "name" {
  description = "Name of the portfolio."
  value       = aws_servicecatalog_portfolio.this.name
}

output "tag_option_ids" {
  description = "TagOption IDs by \"key=value\" (e.g. team=fraud), for products that associate TagOptions of their own."
  value       = { for k, option in aws_servicecatalog_tag_option.this : k => option.id }
}
