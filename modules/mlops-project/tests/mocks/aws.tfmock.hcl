# What the AWS provider returns in the native tests of modules/mlops-project and of the products that call it
# (mock_provider "aws" { source = ".../modules/mlops-project/tests/mocks" }): an account, a region, and the
# computed attributes the composition reads at plan time.
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
