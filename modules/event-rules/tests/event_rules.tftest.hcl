# Native tests of modules/event-rules.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  # The real provider validates ARNs: mocked roles need a well-formed one.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/demo-events"
    }
  }
}

variables {
  account_id  = "123456789012"
  name_prefix = "demo"
  rules = {
    build = {
      description         = "build"
      event_pattern       = "{\"source\":[\"aws.codecommit\"]}"
      target_pipeline_arn = "arn:aws:codepipeline:eu-west-1:123456789012:demo-modelbuild"
    }
    approval = {
      description         = "approval"
      event_pattern       = "{\"source\":[\"aws.sagemaker\"]}"
      target_pipeline_arn = "arn:aws:codepipeline:eu-west-1:123456789012:demo-modeldeploy"
      enabled             = false
    }
  }
}

run "one_rule_and_target_per_key" {
  command = apply

  assert {
    condition     = aws_cloudwatch_event_rule.this["build"].name == "demo-build" && aws_cloudwatch_event_rule.this["approval"].state == "DISABLED"
    error_message = "Rules are named <prefix>-<key> and follow enabled."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this["approval"].arn == "arn:aws:codepipeline:eu-west-1:123456789012:demo-modeldeploy" && aws_cloudwatch_event_target.this["build"].role_arn == aws_iam_role.this.arn
    error_message = "Each rule targets its pipeline with the events role."
  }

  assert {
    condition     = keys(output.rule_arns) == ["approval", "build"]
    error_message = "rule_arns is keyed like the input."
  }
}

run "rejects_no_rules" {
  command = plan
  variables {
    rules = {}
  }
  expect_failures = [var.rules]
}

run "rejects_pattern_without_source" {
  command = plan
  variables {
    rules = { x = { description = "x", event_pattern = "{}", target_pipeline_arn = "arn:aws:codepipeline:eu-west-1:123456789012:p" } }
  }
  expect_failures = [var.rules]
}

run "rejects_non_pipeline_target" {
  command = plan
  variables {
    rules = { x = { description = "x", event_pattern = "{\"source\":[\"a\"]}", target_pipeline_arn = "arn:aws:lambda:eu-west-1:123456789012:function:f" } }
  }
  expect_failures = [var.rules]
}

run "rejects_bad_prefix" {
  command = plan
  variables {
    name_prefix = "demo prefix"
  }
  expect_failures = [var.name_prefix]
}

run "rejects_bad_account" {
  command = plan
  variables {
    account_id = "1"
  }
  expect_failures = [var.account_id]
}

run "role_carries_the_permissions_boundary" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
    error_message = "The EventBridge role carries the given permissions boundary."
  }
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:role/admin"
  }

  expect_failures = [var.permissions_boundary_arn]
}
