account_id         = "123456789012"
name               = "demo-codebuild"
service_principals = ["codebuild.amazonaws.com"]
