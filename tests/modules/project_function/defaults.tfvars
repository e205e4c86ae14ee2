account_id               = "123456789012"
region                   = "eu-west-1"
name                     = "mlops-p-abcdef123456-example"
description              = "Example function of project fraud-detector"
handler                  = "example.handler"
code_bucket              = "mlops-catalog-123456789012"
code_key                 = "lambda/example/1.0.0/abc.zip"
kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
timeout_in_seconds       = 300
policy_json              = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReadInput\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::mlops-catalog-123456789012/example/input.json\"}]}"
tags                     = { "sagemaker:project-id" = "p-abcdef123456" }
