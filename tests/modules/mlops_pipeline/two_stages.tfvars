name              = "demo-modeldeploy"
source_repository = { repository_name = "demo-modeldeploy", branch_name = "main" }
build             = { project_name = "demo-deploy-config" }
stages = [
  { name = "staging", deploy_project_name = "demo-deploy", test_project_name = "demo-test" },
  { name = "prod", deploy_project_name = "demo-deploy", test_project_name = "demo-test" },
]
