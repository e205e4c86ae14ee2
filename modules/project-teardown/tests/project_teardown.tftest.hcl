# Native tests of modules/project-teardown: the CRUD invocation, its input, and the role's reach.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  account_id               = "123456789012"
  region                   = "eu-west-1"
  project_name             = "Churn-Model"
  project_id               = "p-abcdef123456"
  model_package_group_name = "Churn-Model-p-abcdef123456-models"
  sagemaker_pipeline_name  = "Churn-Model-p-abcdef123456-pipeline"
  destroy_after            = { artifact_bucket = "sagemaker-project-p-abcdef123456-123456789012" }
  function = {
    name        = "mlops-p-abcdef123456-teardown"
    code_bucket = "catalog-bucket"
    code_key    = "lambda/project-teardown/1.0.0/abc.zip"
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }
}

run "the_invocation_runs_the_teardown_only_on_delete" {
  command = plan

  assert {
    condition     = aws_lambda_invocation.this.lifecycle_scope == "CRUD" && aws_lambda_invocation.this.terraform_key == "tf"
    error_message = "The invocation must be CRUD-scoped, so that destroying it invokes the function with tf.action = delete."
  }

  assert {
    condition = jsondecode(aws_lambda_invocation.this.input) == {
      project_name             = "Churn-Model"
      project_id               = "p-abcdef123456"
      model_package_group_name = "Churn-Model-p-abcdef123456-models"
      sagemaker_pipeline_name  = "Churn-Model-p-abcdef123456-pipeline"
    }
    error_message = "The input must name the project, its id, group and pipeline (what the handler needs), known at plan time."
  }

  assert {
    condition     = terraform_data.destroy_after.input.artifact_bucket == "sagemaker-project-p-abcdef123456-123456789012"
    error_message = "The caller's resources must be held by terraform_data, which the invocation depends on."
  }
}

run "deletes_need_the_project_tag" {
  command = plan

  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.this.statement : anytrue([for c in s.condition : c.variable == "aws:ResourceTag/sagemaker:project-id" && length(c.values) == 1 && contains(c.values, "p-abcdef123456")]) if contains(["DeleteProjectResources", "RemoveEndpointAutoscaling"], s.sid)])
    error_message = "Deleting endpoints, configs, models, the pipeline and scalable targets must require the project's tag."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "DeleteProjectResources"]) == toset(["arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn-model-*", "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-model-*", "arn:aws:sagemaker:eu-west-1:123456789012:model/churn-model-*", "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/churn-model-p-abcdef123456-pipeline"])
    error_message = "Deletes must name the project's resources (lowercased, as SageMaker ARNs are)."
  }
}

run "rejects_a_project_id_that_is_not_one" {
  command = plan
  variables {
    project_id = "*"
  }
  expect_failures = [var.project_id]
}
