# A packaged product whose artifacts.json (seed_code_sets.artifacts.json, written beside the root as `package` does)
# allows two seed-code sets; the project chooses the one that is not the default.
project_name          = "churn"
project_id            = "p-abcdef123456"
seed_code_bucket_name = "mlops-catalog-123456789012"
catalog_kms_key_arn   = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
seed_code_set         = "churn-lightgbm"
