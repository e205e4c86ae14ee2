account_id               = "123456789012"
name                     = "demo-sagemaker"
path                     = "/mlops/"
description              = "SageMaker execution role of demo"
max_session_duration     = 7200
permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-boundary"
service_principals       = ["sagemaker.amazonaws.com"]
policy_documents = {
  artifacts = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::demo/*\"}]}"
}
managed_policy_arns = {
  boundary_helper = "arn:aws:iam::123456789012:policy/mlops-extra"
}
tags = {
  "sagemaker:project-name" = "demo"
  "sagemaker:project-id"   = "p-abcdef123456"
}
