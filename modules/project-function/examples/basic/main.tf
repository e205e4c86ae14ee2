# A project function that may read one object, and nothing else besides its logs and the project key.
provider "aws" {
  region = var.region
}

locals {
  account_id = "123456789012"
}

data "aws_iam_policy_document" "example" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-catalog-bucket/example/input.json"]
  }
}

module "function" {
  source = "../.."

  account_id  = local.account_id
  region      = var.region
  name        = "${var.name}-example"
  description = "Example function of ${var.name}"
  handler     = "example.handler"
  code_bucket = "example-catalog-bucket"
  code_key    = "lambda/example/1.0.0/0123abcd.zip"
  kms_key_arn = "arn:aws:kms:${var.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
  policy_json = data.aws_iam_policy_document.example.json
  tags        = { "sagemaker:project-name" = var.name }
}
