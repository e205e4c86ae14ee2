name              = "demo-modeldeploy"
source_repository = { repository_name = "demo-modeldeploy", branch_name = "main" }
build             = { project_name = "demo-deploy-config" }
stages = [
  { name = "staging", deploy_project_name = "demo-deploy", test_project_name = "demo-test", approval_sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:approvals" },
  { name = "qa", deploy_project_name = "demo-deploy", requires_approval = false },
  { name = "prod", deploy_project_name = "demo-deploy", test_project_name = "demo-test" },
]
