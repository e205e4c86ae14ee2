# Native tests of products/build-train-deploy: its parameters, its presets and the artifacts.json wiring.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      endpoint = "ec2.eu-west-1.amazonaws.com"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_data "aws_s3_object" {
    defaults = {
      server_side_encryption = "aws:kms"
      sse_kms_key_id         = "arn:aws:kms:eu-west-1:123456789012:key/99999999-8888-7777-6666-555555555555"
    }
  }
  mock_data "aws_ssm_parameter" {
    defaults = {
      value = "catalog-from-ssm"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }
  mock_resource "aws_codepipeline" {
    defaults = {
      arn = "arn:aws:codepipeline:eu-west-1:123456789012:mock"
    }
  }
  mock_resource "aws_lambda_invocation" {
    defaults = {
      result = "{\"status\":\"created\",\"commit_id\":\"abc\"}"
    }
  }
}


variables {
  SageMakerProjectName = "Fraud-Detect"
  SageMakerProjectId   = "p-abcdef123456"
}

run "presets_reach_the_project" {
  command = plan

  assert {
    condition     = output.deploy_stage_names == ["staging", "prod"]
    error_message = "The template deploys to staging, then prod."
  }

  assert {
    condition     = output.model_package_group_name == "Fraud-Detect-p-abcdef123456-models" && output.sagemaker_pipeline_name == "Fraud-Detect-p-abcdef123456-pipeline"
    error_message = "The project's names come from the two SageMaker parameters."
  }
}

run "without_artifacts_json_the_repositories_start_empty" {
  command = plan

  assert {
    condition     = length(local.artifacts) == 0 && length(module.project.seed_code_keys) == 0
    error_message = "Outside a packaged artifact there is no artifacts.json: no seed push."
  }
}
