# What a project gets: the two SageMaker parameters plus the artifact keys that
# `mlops-templates package` writes into the product (artifacts.json, passed on by the product).
project_name           = "fraud-detector"
project_id             = "p-abcdef123456"
seed_code_bucket_name  = "mlops-catalog-123456789012"
seed_code_keys         = { model_build = "seed/build-train-deploy-model-build/1.0.0/aaa.zip", model_deploy = "seed/build-train-deploy-model-deploy/1.0.0/bbb.zip" }
seed_push_function_key = "lambda/seed-push/1.0.0/ccc.zip"
catalog_kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
