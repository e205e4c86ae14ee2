locals {
  # One TagOption per allowed value, keyed "key=value" (stable, and readable in plans and outputs).
  tag_options = merge([
    for key, values in var.tag_options : {
      for value in values : "${key}=${value}" => { key = key, value = value }
    }
  ]...)
}

resource "aws_servicecatalog_portfolio" "this" {
  name          = var.name
  description   = var.description
  provider_name = var.provider_name
  tags          = var.tags
}

resource "aws_servicecatalog_principal_portfolio_association" "iam" {
  for_each = var.principal_arns

  portfolio_id   = aws_servicecatalog_portfolio.this.id
  principal_arn  = each.value
  principal_type = "IAM"
}

resource "aws_servicecatalog_principal_portfolio_association" "iam_pattern" {
  for_each = var.principal_arn_patterns

  portfolio_id   = aws_servicecatalog_portfolio.this.id
  principal_arn  = each.value
  principal_type = "IAM_PATTERN"
}

resource "aws_servicecatalog_tag_option" "this" {
  for_each = local.tag_options

  key    = each.value.key
  value  = each.value.value
  active = true
}

resource "aws_servicecatalog_tag_option_resource_association" "this" {
  for_each = local.tag_options

  resource_id   = aws_servicecatalog_portfolio.this.id
  tag_option_id = aws_servicecatalog_tag_option.this[each.key].id
}

resource "aws_servicecatalog_portfolio_share" "account" {
  for_each = var.share_account_ids

  portfolio_id      = aws_servicecatalog_portfolio.this.id
  principal_id      = each.value
  type              = "ACCOUNT"
  share_tag_options = true
}

resource "aws_servicecatalog_portfolio_share" "organization" {
  count = var.share_organization_node == null ? 0 : 1

  portfolio_id      = aws_servicecatalog_portfolio.this.id
  principal_id      = var.share_organization_node.value
  type              = var.share_organization_node.type
  share_tag_options = true
  share_principals  = var.share_organization_node.share_principals
}
