# Native tests of modules/mlops-personas: conditional roles, the Studio attachment, output wiring, every validation.
mock_provider "aws" {
  # The real provider validates policy JSON; a mocked document must be a valid (empty) policy.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  # Attachments validate the policy ARN they are given.
  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/mocked"
    }
  }
}

variables {
  account_id          = "123456789012"
  region              = "eu-west-1"
  name_prefix         = "mlops"
  artifact_bucket_arn = "arn:aws:s3:::mlops-catalog-123456789012"
}

run "defaults_create_policies_only" {
  command = plan

  assert {
    condition     = toset(keys(aws_iam_policy.persona)) == toset(["platform_admin", "data_scientist", "lead_data_scientist"])
    error_message = "One managed policy per persona."
  }

  assert {
    condition     = aws_iam_policy.persona["lead_data_scientist"].name == "mlops-lead-data-scientist" && aws_iam_policy.studio_execution.name == "mlops-studio-execution"
    error_message = "Policy names are <name_prefix>-<persona>."
  }

  assert {
    condition     = length(aws_iam_role.persona) == 0 && length(aws_iam_policy.team_isolation) == 0
    error_message = "No roles or team policy unless asked for."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.studio_execution) == 0 && length(aws_iam_role_policy_attachment.persona) == 0
    error_message = "No attachments without roles."
  }

  assert {
    condition     = length(output.role_arns) == 0 && length(output.role_names) == 0
    error_message = "Role outputs are empty without roles."
  }
}

run "roles_without_teams" {
  command = plan

  variables {
    create_roles = true
    persona_trust_principal_arns = {
      "platform-admin"      = ["arn:aws:iam::123456789012:role/admins"]
      "data-scientist"      = ["arn:aws:iam::123456789012:role/scientists"]
      "lead-data-scientist" = ["arn:aws:iam::123456789012:role/leads"]
    }
    tags = { owner = "platform" }
  }

  assert {
    condition     = toset(keys(aws_iam_role.persona)) == toset(["platform-admin", "data-scientist", "lead-data-scientist"])
    error_message = "One role per persona without teams."
  }

  assert {
    condition     = toset(keys(aws_iam_role_policy_attachment.persona)) == toset(["platform-admin/platform_admin", "data-scientist/data_scientist", "lead-data-scientist/lead_data_scientist"])
    error_message = "Each role gets exactly its persona's policy."
  }

  assert {
    condition     = aws_iam_role.persona["data-scientist"].tags == tomap({ owner = "platform" }) && output.role_names["lead-data-scientist"] == "mlops-lead-data-scientist"
    error_message = "Roles carry the caller's tags (no team tag without teams) and their names reach the outputs."
  }
}

run "roles_per_team" {
  command = plan

  variables {
    create_roles = true
    teams        = ["fraud", "churn"]
    persona_trust_principal_arns = {
      "platform-admin"            = ["arn:aws:iam::123456789012:role/admins"]
      "data-scientist-fraud"      = ["arn:aws:iam::123456789012:role/fraud"]
      "data-scientist-churn"      = ["arn:aws:iam::123456789012:role/churn"]
      "lead-data-scientist-fraud" = ["arn:aws:iam::123456789012:role/fraud-leads"]
      "lead-data-scientist-churn" = ["arn:aws:iam::123456789012:role/churn-leads"]
    }
  }

  assert {
    condition     = length(aws_iam_role.persona) == 5 && length(aws_iam_policy.team_isolation) == 1
    error_message = "Data scientist and lead roles per team, plus the team isolation policy."
  }

  assert {
    condition     = aws_iam_role.persona["data-scientist-fraud"].tags["team"] == "fraud" && aws_iam_role.persona["lead-data-scientist-churn"].tags["team"] == "churn"
    error_message = "Team roles carry their team tag (it becomes aws:PrincipalTag/team)."
  }

  assert {
    condition     = !contains(keys(aws_iam_role.persona["platform-admin"].tags), "team")
    error_message = "The platform admin belongs to no team."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.persona) == 9 && contains(keys(aws_iam_role_policy_attachment.persona), "data-scientist-churn/team_isolation")
    error_message = "Team roles get the team isolation policy besides their persona policy."
  }
}

run "outputs_follow_the_resources" {
  command = apply

  variables {
    teams        = ["fraud"]
    create_roles = true
    persona_trust_principal_arns = {
      "platform-admin"            = ["arn:aws:iam::123456789012:root"]
      "data-scientist-fraud"      = ["arn:aws:iam::123456789012:root"]
      "lead-data-scientist-fraud" = ["arn:aws:iam::123456789012:root"]
    }
  }

  assert {
    condition     = output.policy_arns["team_isolation"] == aws_iam_policy.team_isolation[0].arn && output.policy_arns["data_scientist"] == aws_iam_policy.persona["data_scientist"].arn
    error_message = "policy_arns must come from the policies."
  }

  assert {
    condition     = toset(keys(output.policy_arns)) == toset(["platform_admin", "data_scientist", "lead_data_scientist", "studio_execution", "team_isolation"])
    error_message = "policy_arns holds every managed policy."
  }

  assert {
    condition     = output.role_arns["data-scientist-fraud"] == aws_iam_role.persona["data-scientist-fraud"].arn
    error_message = "Role ARN outputs must come from the roles."
  }

  assert {
    condition     = output.studio_execution_policy_arn == aws_iam_policy.studio_execution.arn
    error_message = "studio_execution_policy_arn must come from the policy."
  }
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    account_id = "12345"
  }
  expect_failures = [var.account_id]
}

run "rejects_artifact_bucket_object_arn" {
  command = plan
  variables {
    artifact_bucket_arn = "arn:aws:s3:::mlops-catalog/products/x.tar.gz"
  }
  expect_failures = [var.artifact_bucket_arn]
}

run "rejects_bad_kms_key_arn" {
  command = plan
  variables {
    artifact_kms_key_arn = "alias/catalog"
  }
  expect_failures = [var.artifact_kms_key_arn]
}

run "rejects_no_enforced_tag_keys" {
  command = plan
  variables {
    enforced_tag_keys = []
  }
  expect_failures = [var.enforced_tag_keys]
}

run "rejects_aws_tag_key" {
  command = plan
  variables {
    enforced_tag_keys = ["aws:cloudformation:stack-name"]
  }
  expect_failures = [var.enforced_tag_keys]
}

run "rejects_bad_name_prefix" {
  command = plan
  variables {
    name_prefix = "1-mlops"
  }
  expect_failures = [var.name_prefix]
}

run "rejects_long_name_prefix" {
  command = plan
  variables {
    name_prefix = "a-prefix-far-too-long-for-role-names"
  }
  expect_failures = [var.name_prefix]
}

run "rejects_bad_partition" {
  command = plan
  variables {
    partition = "aws-eu"
  }
  expect_failures = [var.partition]
}

run "rejects_bad_trust_principal" {
  command = plan
  variables {
    persona_trust_principal_arns = { "platform-admin" = ["*"] }
  }
  expect_failures = [var.persona_trust_principal_arns]
}

run "rejects_roles_without_trust_for_every_role" {
  command = plan
  variables {
    create_roles                 = true
    persona_trust_principal_arns = { "platform-admin" = ["arn:aws:iam::123456789012:role/admins"] }
  }
  expect_failures = [var.persona_trust_principal_arns]
}

run "rejects_trust_keys_that_ignore_teams" {
  command = plan
  variables {
    create_roles = true
    teams        = ["fraud"]
    persona_trust_principal_arns = {
      "platform-admin"      = ["arn:aws:iam::123456789012:role/admins"]
      "data-scientist"      = ["arn:aws:iam::123456789012:role/scientists"]
      "lead-data-scientist" = ["arn:aws:iam::123456789012:role/leads"]
    }
  }
  expect_failures = [var.persona_trust_principal_arns]
}

run "rejects_bad_portfolio_arn" {
  command = plan
  variables {
    portfolio_arns = ["port-abc123"]
  }
  expect_failures = [var.portfolio_arns]
}

run "rejects_bad_region" {
  command = plan
  variables {
    region = "Europe"
  }
  expect_failures = [var.region]
}

run "rejects_studio_role_given_as_arn" {
  command = plan
  variables {
    studio_execution_role_names = ["arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"]
  }
  expect_failures = [var.studio_execution_role_names]
}

run "rejects_bad_team_name" {
  command = plan
  variables {
    teams = ["Fraud Team"]
  }
  expect_failures = [var.teams]
}

run "rejects_teams_without_team_tag" {
  command = plan
  variables {
    teams             = ["fraud"]
    enforced_tag_keys = ["cost-center"]
  }
  expect_failures = [var.teams]
}

run "studio_policy_attached_to_the_given_roles" {
  command = plan

  variables {
    studio_execution_role_names = ["AmazonSageMaker-ExecutionRole-1"]
  }

  assert {
    condition     = aws_iam_role_policy_attachment.studio_execution["AmazonSageMaker-ExecutionRole-1"].role == "AmazonSageMaker-ExecutionRole-1"
    error_message = "The Studio policy is attached to the given execution roles."
  }
}
