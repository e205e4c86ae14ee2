name                      = "demo-deploy"
description               = "Deploys the endpoints of demo"
service_role_arn          = "arn:aws:iam::123456789012:role/demo-deploy"
encryption_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
build_image               = "aws/codebuild/standard:7.0"
compute_type              = "BUILD_GENERAL1_MEDIUM"
buildspec                 = "deploy-buildspec.yml"
timeout_in_minutes        = 120
queued_timeout_in_minutes = 30
log_retention_in_days     = 731
environment_variables     = { STAGE_NAME = "staging", ARTIFACT_BUCKET = "demo-bucket" }
parameter_store_variables = { GIT_TOKEN = "/demo/git-token" }
vpc_config = {
  vpc_id             = "vpc-0123456789abcdef0"
  subnet_ids         = ["subnet-aaaa", "subnet-bbbb"]
  security_group_ids = ["sg-1234"]
}
tags = { "sagemaker:project-id" = "p-abcdef123456" }
