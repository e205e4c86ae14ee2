output "portfolio_id" {
  description = "ID of the portfolio."
  value       = module.portfolio.id
}

output "tag_option_ids" {
  description = "TagOption IDs by key=value."
  value       = module.portfolio.tag_option_ids
}
