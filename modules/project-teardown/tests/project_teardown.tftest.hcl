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

run "experiments_add_their_pipelines_and_group" {
  command = plan
  variables {
    experiments = {
      model_package_group_name = "Churn-Model-p-abcdef123456-experiments"
      pipeline_role_arn        = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-experiments-sagemaker"
    }
  }

  assert {
    condition = jsondecode(aws_lambda_invocation.this.input).experiments == {
      model_package_group_name = "Churn-Model-p-abcdef123456-experiments"
      pipeline_role_arn        = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-experiments-sagemaker"
    }
    error_message = "The input must pass the experiments group and role to the handler."
  }

  assert {
    condition     = contains(one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "DeleteProjectResources"]), "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/churn-model-*")
    error_message = "Deleting the experiment pipelines (named <project>-*, lowercased) must be granted, under the project tag condition."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.this.statement : s.resources if s.sid == "DeleteModelPackages"]) == toset(["arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-model-p-abcdef123456-models/*", "arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-model-p-abcdef123456-experiments/*"])
    error_message = "The packages of both groups must be deletable, and no others."
  }
}

run "without_experiments_the_input_has_no_experiments_key" {
  command = plan

  assert {
    condition     = !contains(keys(jsondecode(aws_lambda_invocation.this.input)), "experiments")
    error_message = "A project without experiments must keep the input it had (a changed input updates the invocation)."
  }
}

run "rejects_experiments_with_a_role_arn_that_is_not_one" {
  command = plan
  variables {
    experiments = {
      model_package_group_name = "Churn-Model-p-abcdef123456-experiments"
      pipeline_role_arn        = "mlops-p-abcdef123456-experiments-sagemaker"
    }
  }
  expect_failures = [var.experiments]
}

run "rejects_experiments_with_a_group_name_sagemaker_refuses" {
  command = plan
  variables {
    experiments = {
      model_package_group_name = "churn_model/experiments"
      pipeline_role_arn        = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-experiments-sagemaker"
    }
  }
  expect_failures = [var.experiments]
}
