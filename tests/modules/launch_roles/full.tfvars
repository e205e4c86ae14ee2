account_id                         = "123456789012"
region                             = "eu-west-1"
name_prefix                        = "mlops"
artifact_bucket_arn                = "arn:aws:s3:::mlops-catalog-123456789012"
artifact_kms_key_arn               = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
terraform_engine_role_arn_patterns = ["arn:aws:iam::123456789012:role/TerraformEngine/TerraformExecutionRole*"]
permissions_boundary = {
  name        = "mlops-project-boundary"
  path        = "/mlops-templates/"
  policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Jobs\",\"Effect\":\"Allow\",\"Action\":[\"sagemaker:CreateTrainingJob\"],\"Resource\":\"arn:aws:sagemaker:eu-west-1:123456789012:training-job/*\"}]}"
}
products = {
  build-train-deploy = {
    launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ProjectBuckets\",\"Effect\":\"Allow\",\"Action\":[\"s3:CreateBucket\",\"s3:DeleteBucket\"],\"Resource\":\"arn:aws:s3:::sagemaker-project-p-*\"}]}"
  }
  batch-inference = {
    launch_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Models\",\"Effect\":\"Allow\",\"Action\":[\"sagemaker:CreateModel\",\"sagemaker:DeleteModel\"],\"Resource\":\"arn:aws:sagemaker:eu-west-1:123456789012:model/*\"}]}"
  }
}
tags = {
  owner = "platform-team"
}
