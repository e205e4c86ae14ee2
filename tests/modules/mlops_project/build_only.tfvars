# No deploy stage (the build-train template: "model building and training"): the model-build repository, its
# pipeline and the group it registers into; no model-deploy repository, role, build projects, pipeline or approval
# rule. The seed-code set's model-deploy zip is given and must be left unused.
project_name           = "abalone"
project_id             = "p-bt1234567890"
seed_code_bucket_name  = "mlops-catalog-123456789012"
seed_code_keys         = { model_build = "seed/abalone-xgboost/model-build/1.0.0/aaa.zip", model_deploy = "seed/abalone-xgboost/model-deploy/1.0.0/bbb.zip" }
seed_push_function_key = "lambda/seed-push/1.0.0/ccc.zip"
teardown_function_key  = "lambdas/project-teardown/1.1.0/ttt.zip"
catalog_kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
deploy_stages          = []
