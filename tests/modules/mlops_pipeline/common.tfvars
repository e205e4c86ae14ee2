role_arn             = "arn:aws:iam::123456789012:role/demo-codepipeline"
artifact_bucket_name = "demo-artifacts"
kms_key_arn          = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
