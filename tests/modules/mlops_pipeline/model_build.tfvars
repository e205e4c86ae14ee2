name              = "demo-modelbuild"
source_repository = { repository_name = "demo-modelbuild", branch_name = "main" }
build = {
  project_name          = "demo-modelbuild"
  environment_variables = { PIPELINE_NAME = "demo-pipeline" }
}
