# Native tests of modules/service-catalog-portfolio: conditional resources, output wiring and every validation.
mock_provider "aws" {}

variables {
  name          = "SageMaker organization templates"
  provider_name = "ML platform team"
}

run "portfolio_alone_by_default" {
  command = plan

  assert {
    condition     = aws_servicecatalog_portfolio.this.name == "SageMaker organization templates" && aws_servicecatalog_portfolio.this.provider_name == "ML platform team"
    error_message = "The portfolio must be named and provided as given."
  }

  assert {
    condition     = length(aws_servicecatalog_principal_portfolio_association.iam) + length(aws_servicecatalog_principal_portfolio_association.iam_pattern) == 0
    error_message = "No principal associations without principals."
  }

  assert {
    condition     = length(aws_servicecatalog_tag_option.this) == 0 && length(aws_servicecatalog_portfolio_share.account) == 0 && length(aws_servicecatalog_portfolio_share.organization) == 0
    error_message = "No TagOptions and no shares by default."
  }
}

run "principals_by_type" {
  command = plan

  variables {
    principal_arns         = { studio = "arn:aws:iam::123456789012:role/Studio", admins = "arn:aws:iam::123456789012:group/Admins" }
    principal_arn_patterns = { scientists = "arn:aws:iam:::role/DataScience*" }
  }

  assert {
    condition     = aws_servicecatalog_principal_portfolio_association.iam["studio"].principal_type == "IAM" && aws_servicecatalog_principal_portfolio_association.iam["admins"].principal_arn == "arn:aws:iam::123456789012:group/Admins"
    error_message = "principal_arns must be associated as IAM principals."
  }

  assert {
    condition     = aws_servicecatalog_principal_portfolio_association.iam_pattern["scientists"].principal_type == "IAM_PATTERN"
    error_message = "principal_arn_patterns must be associated as IAM_PATTERN principals."
  }
}

run "one_tag_option_per_value" {
  command = apply

  variables {
    tag_options = { team = ["fraud", "churn"], cost-center = ["cc-100"] }
  }

  assert {
    condition     = toset(keys(aws_servicecatalog_tag_option.this)) == toset(["team=fraud", "team=churn", "cost-center=cc-100"])
    error_message = "There must be one TagOption per key and value, keyed key=value."
  }

  assert {
    condition     = aws_servicecatalog_tag_option.this["team=churn"].key == "team" && aws_servicecatalog_tag_option.this["team=churn"].value == "churn"
    error_message = "A TagOption must carry its key and value."
  }

  assert {
    condition     = alltrue([for k, a in aws_servicecatalog_tag_option_resource_association.this : a.resource_id == aws_servicecatalog_portfolio.this.id && a.tag_option_id == aws_servicecatalog_tag_option.this[k].id])
    error_message = "Every TagOption must be associated with the portfolio."
  }

  assert {
    condition     = output.tag_option_ids == { for k, o in aws_servicecatalog_tag_option.this : k => o.id }
    error_message = "tag_option_ids must map key=value to the TagOption IDs."
  }

  assert {
    condition     = output.id == aws_servicecatalog_portfolio.this.id && output.arn == aws_servicecatalog_portfolio.this.arn && output.name == aws_servicecatalog_portfolio.this.name
    error_message = "id, arn and name outputs must come from the portfolio."
  }
}

run "shares_with_accounts_and_organization" {
  command = plan

  variables {
    share_account_ids       = ["222222222222", "333333333333"]
    share_organization_node = { type = "ORGANIZATIONAL_UNIT", value = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34", share_principals = true }
  }

  assert {
    condition     = length(aws_servicecatalog_portfolio_share.account) == 2 && alltrue([for s in aws_servicecatalog_portfolio_share.account : s.type == "ACCOUNT" && s.share_tag_options])
    error_message = "Each account needs an ACCOUNT share with TagOptions."
  }

  assert {
    condition     = aws_servicecatalog_portfolio_share.organization[0].type == "ORGANIZATIONAL_UNIT" && aws_servicecatalog_portfolio_share.organization[0].principal_id == "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34" && aws_servicecatalog_portfolio_share.organization[0].share_tag_options && aws_servicecatalog_portfolio_share.organization[0].share_principals
    error_message = "The organization node needs a share of its type, with TagOptions and (here) principals."
  }
}

run "tags_reach_the_portfolio" {
  command = plan

  variables {
    tags = { owner = "ml-platform" }
  }

  assert {
    condition     = aws_servicecatalog_portfolio.this.tags["owner"] == "ml-platform"
    error_message = "Caller tags must be set on the portfolio."
  }
}

run "rejects_long_description" {
  command = plan
  variables {
    description = format("%2001s", "x")
  }
  expect_failures = [var.description]
}

run "rejects_empty_name" {
  command = plan
  variables {
    name = ""
  }
  expect_failures = [var.name]
}

run "rejects_pattern_with_account" {
  command = plan
  variables {
    principal_arn_patterns = { scientists = "arn:aws:iam::123456789012:role/DataScience*" }
  }
  expect_failures = [var.principal_arn_patterns]
}

run "rejects_principal_that_is_not_iam" {
  command = plan
  variables {
    principal_arns = { bucket = "arn:aws:s3:::my-bucket" }
  }
  expect_failures = [var.principal_arns]
}

run "rejects_long_provider_name" {
  command = plan
  variables {
    provider_name = format("%51s", "x")
  }
  expect_failures = [var.provider_name]
}

run "rejects_bad_share_account" {
  command = plan
  variables {
    share_account_ids = ["12345"]
  }
  expect_failures = [var.share_account_ids]
}

run "rejects_bad_organization_node_type" {
  command = plan
  variables {
    share_organization_node = { type = "ACCOUNT", value = "222222222222" }
  }
  expect_failures = [var.share_organization_node]
}

run "rejects_organization_node_value_of_other_type" {
  command = plan
  variables {
    share_organization_node = { type = "ORGANIZATION", value = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34" }
  }
  expect_failures = [var.share_organization_node]
}

run "rejects_aws_tag_option_key" {
  command = plan
  variables {
    tag_options = { "aws:team" = ["fraud"] }
  }
  expect_failures = [var.tag_options]
}

run "rejects_tag_option_without_values" {
  command = plan
  variables {
    tag_options = { team = [] }
  }
  expect_failures = [var.tag_options]
}
