account_id                         = "123456789012"
region                             = "eu-west-1"
name_prefix                        = "mlops"
artifact_bucket_arn                = "arn:aws:s3:::mlops-catalog-123456789012"
artifact_kms_key_arn               = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
enforced_tag_keys                  = ["team", "cost-center", "data-classification"]
teams                              = ["fraud", "churn"]
portfolio_arns                     = ["arn:aws:catalog:eu-west-1:123456789012:portfolio/port-abc123def456"]
studio_execution_role_names        = ["AmazonSageMaker-ExecutionRole-fraud", "AmazonSageMaker-ExecutionRole-churn"]
terraform_engine_role_arn_patterns = ["arn:aws:iam::123456789012:role/TerraformEngine/TerraformExecutionRole*"]
products = {
  build-train-deploy = {
    launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ProjectBuckets\",\"Effect\":\"Allow\",\"Action\":[\"s3:CreateBucket\",\"s3:DeleteBucket\"],\"Resource\":\"arn:aws:s3:::sagemaker-project-p-*\"}]}"
  }
  batch-inference = {
    launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Models\",\"Effect\":\"Allow\",\"Action\":[\"sagemaker:CreateModel\",\"sagemaker:DeleteModel\"],\"Resource\":\"arn:aws:sagemaker:eu-west-1:123456789012:model/*\"}]}"
  }
}
create_roles = true
persona_trust_principal_arns = {
  "platform-admin"            = ["arn:aws:iam::123456789012:role/sso-platform-admins"]
  "data-scientist-fraud"      = ["arn:aws:iam::123456789012:role/sso-fraud-data-scientists"]
  "data-scientist-churn"      = ["arn:aws:iam::123456789012:role/sso-churn-data-scientists"]
  "lead-data-scientist-fraud" = ["arn:aws:iam::123456789012:role/sso-fraud-leads"]
  "lead-data-scientist-churn" = ["arn:aws:iam::123456789012:role/sso-churn-leads"]
}
tags = {
  owner         = "platform-team"
  "cost-center" = "cc-1234"
}
