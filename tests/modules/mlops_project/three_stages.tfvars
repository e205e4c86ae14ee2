project_name          = "Churn-Model"
project_id            = "p-zyx987654321"
seed_code_bucket_name = "mlops-catalog-123456789012"
deploy_stages = [
  { name = "staging", instance_type = "ml.m5.large" },
  { name = "qa", serverless = { memory_size_in_mb = 2048, max_concurrency = 5 }, requires_approval = false },
  { name = "prod", instance_type = "ml.m5.xlarge", instance_count = 2, autoscaling = { min_capacity = 2, max_capacity = 6, target_invocations_per_instance = 200 } },
]
log_retention_in_days = 731
tags                  = { team = "growth", cost-center = "cc-42" }
