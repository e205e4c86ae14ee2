# The catalog of tests/catalog/existing_bucket.tfvars with build-train-deploy-git and -anygit in its manifest too.
manifest_path        = "tests/fixtures/manifest-with-git.json"
artifact_bucket_name = "platform-artifacts-123456789012"
artifact_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
teams = {
  fraud = {}
}
