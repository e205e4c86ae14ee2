name                   = "demo-project-artifacts-123456789012"
kms_key_arn            = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
force_destroy          = true
access_log_bucket_name = "platform-access-logs-123456789012"
access_log_prefix      = "demo-project/"
lifecycle_rules = {
  models = {
    prefix                                 = "models/"
    noncurrent_version_expiration_days     = 30
    newer_noncurrent_versions              = 3
    abort_incomplete_multipart_upload_days = 1
  }
  scratch = {
    prefix          = "tmp/"
    expiration_days = 14
  }
}
policy_documents = [
  <<-EOT
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "AllowSageMakerRoleRead",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:role/demo-project-sagemaker"},
        "Action": ["s3:GetObject"],
        "Resource": "arn:aws:s3:::demo-project-artifacts-123456789012/*"
      }
    ]
  }
  EOT
]
tags = {
  "sagemaker:project-name" = "demo-project"
  "sagemaker:project-id"   = "p-abcdef123456"
}
