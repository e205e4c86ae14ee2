# Native tests of modules/iam-service-role: conditional policies, outputs and every validation.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  account_id         = "123456789012"
  name               = "demo-codebuild"
  service_principals = ["codebuild.amazonaws.com"]
}

run "role_without_policies" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy.this) == 0 && length(aws_iam_role_policy_attachment.this) == 0
    error_message = "No policies unless given."
  }

  assert {
    condition     = aws_iam_role.this.name == "demo-codebuild" && aws_iam_role.this.max_session_duration == 3600
    error_message = "Name and default session duration must be set."
  }
}

run "one_inline_policy_per_document" {
  command = plan

  variables {
    policy_documents    = { logs = "{\"Statement\":[]}", s3 = "{\"Statement\":[]}" }
    managed_policy_arns = { readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
  }

  assert {
    condition     = toset(keys(aws_iam_role_policy.this)) == toset(["logs", "s3"]) && aws_iam_role_policy.this["s3"].name == "s3"
    error_message = "Each document must become an inline policy named after its key."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.this["readonly"].policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "Managed policies must be attached."
  }
}

run "rejects_bad_account" {
  command = plan
  variables {
    account_id = "abc"
  }
  expect_failures = [var.account_id]
}

run "rejects_bad_managed_policy_arn" {
  command = plan
  variables {
    managed_policy_arns = { x = "ReadOnlyAccess" }
  }
  expect_failures = [var.managed_policy_arns]
}

run "rejects_short_session" {
  command = plan
  variables {
    max_session_duration = 60
  }
  expect_failures = [var.max_session_duration]
}

run "rejects_long_name" {
  command = plan
  variables {
    name = "a-role-name-that-is-far-too-long-for-iam-because-it-has-more-than-64-chars"
  }
  expect_failures = [var.name]
}

run "rejects_path_without_slashes" {
  command = plan
  variables {
    path = "mlops"
  }
  expect_failures = [var.path]
}

run "rejects_policy_that_is_not_json" {
  command = plan
  variables {
    policy_documents = { bad = "not json" }
  }
  expect_failures = [var.policy_documents]
}

run "rejects_bad_policy_name" {
  command = plan
  variables {
    policy_documents = { "bad name" = "{\"Statement\":[]}" }
  }
  expect_failures = [var.policy_documents]
}

run "rejects_no_principal" {
  command = plan
  variables {
    service_principals = []
  }
  expect_failures = [var.service_principals]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:role/admin"
  }
  expect_failures = [var.permissions_boundary_arn]
}
