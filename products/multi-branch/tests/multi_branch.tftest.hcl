# Native tests of products/multi-branch: the project parameters reach the composition with experimentation
# branches on (the composition's validations are tested in modules/mlops-project).
mock_provider "aws" {
  source = "./modules/mlops-project/tests/mocks"
}

variables {
  SageMakerProjectName = "Fraud-Detect"
  SageMakerProjectId   = "p-abcdef123456"
}

run "experiments_next_to_production" {
  command = plan

  assert {
    condition     = output.experiments.codepipeline_name == "Fraud-Detect-p-abcdef123456-experiments" && output.experiments.model_package_group_name == "Fraud-Detect-p-abcdef123456-experiments"
    error_message = "Branches build in the experiments pipeline and register into the experiments group."
  }

  assert {
    condition     = output.production_model_package_group_name == "Fraud-Detect-p-abcdef123456-models" && output.pipelines.model_build == "Fraud-Detect-p-abcdef123456-modelbuild"
    error_message = "main keeps the production pipeline and group."
  }
}
