# Native tests of products/build-train-deploy: its parameters, its presets and the artifacts.json wiring.
mock_provider "aws" {
  source = "./modules/mlops-project/tests/mocks"
}


variables {
  SageMakerProjectName = "Fraud-Detect"
  SageMakerProjectId   = "p-abcdef123456"
}

run "presets_reach_the_project" {
  command = plan

  assert {
    condition     = output.deploy_stage_names == ["staging", "prod"]
    error_message = "The template deploys to staging, then prod."
  }

  assert {
    condition     = output.model_package_group_name == "Fraud-Detect-p-abcdef123456-models" && output.sagemaker_pipeline_name == "Fraud-Detect-p-abcdef123456-pipeline"
    error_message = "The project's names come from the two SageMaker parameters."
  }
}

run "without_artifacts_json_the_repositories_start_empty" {
  command = plan

  assert {
    condition     = length(module.project.seed_code_keys) == 0
    error_message = "Outside a packaged artifact there is no artifacts.json: no seed push."
  }
}

run "seed_code_set_must_be_a_set_name" {
  command = plan

  variables {
    SeedCodeSet = "Abalone XGBoost"
  }

  expect_failures = [var.SeedCodeSet]
}
