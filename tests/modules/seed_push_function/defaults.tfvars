account_id       = "123456789012"
region           = "eu-west-1"
name             = "mlops-p-abcdef123456-seed-push"
code_bucket      = "catalog-bucket"
code_key         = "lambda/seed-push/1.0.0/abc.zip"
kms_key_arn      = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
seed_kms_key_arn = "arn:aws:kms:eu-west-1:999999999999:key/catalog"
repository_arns = [
  "arn:aws:codecommit:eu-west-1:123456789012:demo-modelbuild",
  "arn:aws:codecommit:eu-west-1:123456789012:demo-modeldeploy",
]
