account_id                  = "123456789012"
region                      = "eu-west-1"
name_prefix                 = "mlops"
artifact_bucket_arn         = "arn:aws:s3:::mlops-catalog-123456789012"
artifact_kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
enforced_tag_keys           = ["team", "cost-center", "data-classification"]
teams                       = ["fraud", "churn"]
portfolio_arns              = ["arn:aws:catalog:eu-west-1:123456789012:portfolio/port-abc123def456"]
studio_execution_role_names = ["AmazonSageMaker-ExecutionRole-fraud", "AmazonSageMaker-ExecutionRole-churn"]
create_roles                = true
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
