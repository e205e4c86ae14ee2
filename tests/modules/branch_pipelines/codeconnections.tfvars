# A project whose model-build repository is on GitHub behind a CodeConnections connection (main branch trunk): no
# branch-event rule, the reconcile every 30 minutes, the branches listed through the connection.
account_id              = "123456789012"
region                  = "eu-west-1"
name                    = "mlops-p-abcdef123456-branch-pipelines"
code_bucket             = "mlops-catalog-123456789012"
code_key                = "lambdas/branch-pipelines/1.0.0/abc.zip"
kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
project_name            = "Churn"
project_id              = "p-abcdef123456"
main_branch             = "trunk"
codepipeline_name       = "Churn-p-abcdef123456-experiments"
experiment_role_arn     = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-exp-sagemaker"
reserved_pipeline_names = ["Churn-p-abcdef123456-pipeline"]
reconcile_schedule      = "rate(30 minutes)"
repository = {
  kind               = "codeconnections"
  connection_arn     = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
  full_repository_id = "ml-team/churn-modelbuild"
}
