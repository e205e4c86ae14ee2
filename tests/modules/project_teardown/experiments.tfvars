# A multi-branch project: its experiment pipelines and experiments group are removed too (with defaults.tfvars).
experiments = {
  model_package_group_name = "fraud-detector-p-abcdef123456-experiments"
  pipeline_role_arn        = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-experiments-sagemaker"
}
