# Native tests of products/build-train: its parameters and its presets (no deployment).
mock_provider "aws" {
  source = "./modules/mlops-project/tests/mocks"
}


variables {
  SageMakerProjectName = "Abalone"
  SageMakerProjectId   = "p-bt1234567890"
}

run "the_project_builds_and_registers_and_deploys_nothing" {
  command = plan

  assert {
    condition     = output.project.model_package_group_name == "Abalone-p-bt1234567890-models" && output.project.sagemaker_pipeline_name == "Abalone-p-bt1234567890-pipeline"
    error_message = "The project's names come from the two SageMaker parameters."
  }

  assert {
    condition     = output.model_build.pipeline_name == "Abalone-p-bt1234567890-modelbuild" && length(output.project.deploy_stage_names) == 0
    error_message = "The model build runs in its CodePipeline; no stage."
  }

  assert {
    condition     = module.project.model_deploy_repository == null && module.project.model_deploy_pipeline_name == null && length(module.project.deploy_stage_names) == 0
    error_message = "The template has no model-deploy repository, pipeline or stage."
  }
}

run "seed_code_set_must_be_a_set_name" {
  command = plan

  variables {
    SeedCodeSet = "Abalone XGBoost"
  }

  expect_failures = [var.SeedCodeSet]
}
