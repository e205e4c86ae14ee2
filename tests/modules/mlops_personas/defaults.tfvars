account_id          = "123456789012"
region              = "eu-west-1"
name_prefix         = "mlops"
artifact_bucket_arn = "arn:aws:s3:::mlops-catalog-123456789012"
