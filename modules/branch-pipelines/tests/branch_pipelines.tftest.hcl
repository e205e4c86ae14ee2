# Native tests of modules/branch-pipelines (its policy is evaluated by tests/authorization, with the real provider).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:mlops-p-abcdef123456-branch-pipelines"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-branch-pipelines"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/mlops-p-abcdef123456-branch-pipelines-branches"
    }
  }
}

variables {
  account_id              = "123456789012"
  region                  = "eu-west-1"
  name                    = "mlops-p-abcdef123456-branch-pipelines"
  code_bucket             = "mlops-catalog-123456789012"
  code_key                = "lambdas/branch-pipelines/1.0.0/abc.zip"
  kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  project_name            = "churn"
  project_id              = "p-abcdef123456"
  codepipeline_name       = "churn-p-abcdef123456-experiments"
  experiment_role_arn     = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-exp-sagemaker"
  reserved_pipeline_names = ["churn-p-abcdef123456-pipeline"]
  repository              = { kind = "codecommit", name = "sagemaker-churn-p-abcdef123456-modelbuild" }
}

run "codecommit_branches_and_reconcile" {
  command = plan

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.this)) == toset(["branches", "reconcile"]) && aws_cloudwatch_event_rule.this["reconcile"].schedule_expression == "rate(1 hour)"
    error_message = "A CodeCommit repository gets the branch-event rule and the hourly reconcile."
  }

  assert {
    condition = jsondecode(output.event_pattern) == {
      source        = ["aws.codecommit"]
      "detail-type" = ["CodeCommit Repository State Change"]
      resources     = ["arn:aws:codecommit:eu-west-1:123456789012:sagemaker-churn-p-abcdef123456-modelbuild"]
      detail = {
        event         = ["referenceCreated", "referenceUpdated", "referenceDeleted"]
        referenceType = ["branch"]
        referenceName = [{ "anything-but" = ["main"] }]
      }
    }
    error_message = "The rule matches every branch event of the repository but the main branch's."
  }


  assert {
    condition     = toset(keys(aws_lambda_permission.rules)) == toset(["branches", "reconcile"]) && alltrue([for p in values(aws_lambda_permission.rules) : p.principal == "events.amazonaws.com" && p.action == "lambda:InvokeFunction"])
    error_message = "Each rule may invoke the function (its permission is scoped to the rule's ARN, see the plan case)."
  }
}

run "codeconnections_reconcile_only" {
  command = plan

  variables {
    repository = {
      kind               = "codeconnections"
      connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
      full_repository_id = "ml-team/churn-modelbuild"
    }
    main_branch        = "trunk"
    reconcile_schedule = "rate(15 minutes)"
  }

  assert {
    condition     = keys(aws_cloudwatch_event_rule.this) == ["reconcile"] && output.event_pattern == null && aws_cloudwatch_event_rule.this["reconcile"].schedule_expression == "rate(15 minutes)"
    error_message = "A CodeConnections repository has no branch events: only the reconcile schedule."
  }

}

run "rejects_repository_mixing_kinds" {
  command = plan
  variables {
    repository = { kind = "codecommit", name = "repo", connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" }
  }
  expect_failures = [var.repository]
}

run "rejects_codeconnections_repository_url" {
  command = plan
  variables {
    repository = { kind = "codeconnections", connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", full_repository_id = "https://github.com/ml-team/churn" }
  }
  expect_failures = [var.repository]
}

run "rejects_bad_schedule" {
  command = plan
  variables {
    reconcile_schedule = "every hour"
  }
  expect_failures = [var.reconcile_schedule]
}

run "rejects_no_reserved_pipeline" {
  command = plan
  variables {
    reserved_pipeline_names = []
  }
  expect_failures = [var.reserved_pipeline_names]
}

run "rejects_long_name" {
  command = plan
  variables {
    name = "mlops-p-abcdef123456-branch-pipelines-of-a-very-long-project-name"
  }
  expect_failures = [var.name]
}
