account_id              = "123456789012"
alias_name              = "demo-project/artifacts"
region                  = "eu-west-1"
description             = "Artifacts of demo-project"
deletion_window_in_days = 7
rotation_period_in_days = 90
admin_role_arns         = ["arn:aws:iam::123456789012:role/platform-admin"]
user_role_arns          = ["arn:aws:iam::123456789012:role/demo-project-codebuild", "arn:aws:iam::123456789012:role/demo-project-sagemaker"]
via_services            = ["sagemaker", "s3"]
service_principals      = ["logs.eu-west-1.amazonaws.com"]
tags = {
  "sagemaker:project-name" = "demo-project"
  "sagemaker:project-id"   = "p-abcdef123456"
  team                     = "fraud"
}
