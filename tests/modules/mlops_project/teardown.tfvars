# Deleting a project: the packaged teardown function (artifacts.json's teardown_function_key) removes what the
# pipelines created, then the bucket (force_destroy) is emptied by the engine's terraform destroy.
# A mixed-case project name: SageMaker ARNs are lowercase, alarm names keep the case.
project_name          = "Churn-Model"
project_id            = "p-zyx987654321"
seed_code_bucket_name = "mlops-catalog-123456789012"
teardown_function_key = "lambda/project-teardown/1.0.0/ddd.zip"
catalog_kms_key_arn   = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
