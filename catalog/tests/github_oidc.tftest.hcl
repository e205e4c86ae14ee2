# Native tests of catalog/github_oidc.tf: the GitHub OIDC provider and its SSM parameter, off by default, created for
# github.com or a GitHub Enterprise Server, or an existing provider published; every validation of github_oidc.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
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
  mock_data "aws_servicecatalog_provisioning_artifacts" {
    defaults = {
      provisioning_artifact_details = []
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }
  mock_resource "aws_servicecatalog_portfolio" {
    defaults = {
      arn = "arn:aws:catalog:eu-west-1:123456789012:portfolio/port-abcdefghijklm"
      id  = "port-abcdefghijklm"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }
}

variables {
  manifest_path = "tests/fixtures/does-not-exist.json"
  teams         = { fraud = {} }
}

run "off_by_default" {
  command = plan

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && length(aws_ssm_parameter.github_oidc_provider) == 0
    error_message = "Without github_oidc.enabled there is no provider and no parameter."
  }

  assert {
    condition     = output.github_oidc_provider_arn == null && output.github_oidc_provider_parameter_name == null
    error_message = "The outputs are null while disabled."
  }
}

run "github_com_provider_published" {
  command = apply

  variables {
    github_oidc = { enabled = true }
    tags        = { owner = "ml-platform" }
  }

  assert {
    condition = (
      aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com"
      && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
      && aws_iam_openid_connect_provider.github[0].tags["owner"] == "ml-platform"
    )
    error_message = "The provider trusts GitHub's issuer for the sts.amazonaws.com audience, tagged."
  }

  assert {
    condition = (
      aws_ssm_parameter.github_oidc_provider[0].name == "/mlops-templates/github-oidc-provider-arn"
      && aws_ssm_parameter.github_oidc_provider[0].type == "String"
      && aws_ssm_parameter.github_oidc_provider[0].value == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    )
    error_message = "The provider's ARN is published under the catalog's parameter path."
  }

  assert {
    condition     = output.github_oidc_provider_arn == aws_iam_openid_connect_provider.github[0].arn && output.github_oidc_provider_parameter_name == "/mlops-templates/github-oidc-provider-arn"
    error_message = "The outputs name the provider and its parameter."
  }
}

run "enterprise_server_provider" {
  command = plan

  variables {
    github_oidc = { enabled = true, url = "https://github.example.com/_services/token", audience = "https://github.example.com/ml-team", parameter_name = "/acme/github-oidc-provider-arn" }
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://github.example.com/_services/token" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["https://github.example.com/ml-team"])
    error_message = "A GitHub Enterprise Server issuer and audience are taken as given."
  }

  assert {
    condition     = aws_ssm_parameter.github_oidc_provider[0].name == "/acme/github-oidc-provider-arn"
    error_message = "parameter_name names the parameter."
  }
}

run "existing_provider_is_published_not_created" {
  command = plan

  variables {
    github_oidc = { enabled = true, existing_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "An existing provider is not created again (IAM allows one per URL)."
  }

  assert {
    condition     = aws_ssm_parameter.github_oidc_provider[0].value == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The existing provider's ARN is published."
  }
}

run "rejects_http_url" {
  command = plan
  variables {
    github_oidc = { enabled = true, url = "http://token.actions.githubusercontent.com" }
  }
  expect_failures = [var.github_oidc]
}

run "rejects_url_with_trailing_slash_or_port" {
  command = plan
  variables {
    github_oidc = { enabled = true, url = "https://github.example.com:8443/_services/token/" }
  }
  expect_failures = [var.github_oidc]
}

run "rejects_wildcard_audience" {
  command = plan
  variables {
    github_oidc = { enabled = true, audience = "*" }
  }
  expect_failures = [var.github_oidc]
}

run "rejects_role_as_existing_provider" {
  command = plan
  variables {
    github_oidc = { enabled = true, existing_provider_arn = "arn:aws:iam::123456789012:role/github" }
  }
  expect_failures = [var.github_oidc]
}

run "rejects_relative_parameter_name" {
  command = plan
  variables {
    github_oidc = { enabled = true, parameter_name = "github-oidc-provider-arn" }
  }
  expect_failures = [var.github_oidc]
}
