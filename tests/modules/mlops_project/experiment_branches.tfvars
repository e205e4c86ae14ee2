# Experimentation branches on the project's CodeCommit repositories (the multi-branch template): a push to any branch
# but main runs the model build as <project>-<branch> with the experiments roles, into the experiments group.
project_name                  = "churn"
project_id                    = "p-exp123456789"
seed_code_bucket_name         = "mlops-catalog-123456789012"
catalog_kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
branch_pipelines_function_key = "lambdas/branch-pipelines/1.0.0/bbb.zip"
teardown_function_key         = "lambdas/project-teardown/1.1.0/ttt.zip"
experiment_branches           = true
