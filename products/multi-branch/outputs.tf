output "experiments" {
  description = "Experimentation branches: the CodePipeline that builds a pushed branch, the model package group branches register into (never deployed), and the function that names and deletes the branch pipelines."
  value       = module.project.experiments
}

output "model_build_repository_clone_url" {
  description = "HTTPS clone URL of the model-build repository: push main to retrain for production, any other branch to experiment."
  value       = module.project.model_build_repository_clone_url
}

output "model_deploy_repository_clone_url" {
  description = "HTTPS clone URL of the model-deploy repository."
  value       = module.project.model_deploy_repository_clone_url
}

output "pipelines" {
  description = "The production CodePipelines (model build on main, model deploy) and the production SageMaker Pipeline."
  value = {
    model_build             = module.project.model_build_pipeline_name
    model_deploy            = module.project.model_deploy_pipeline_name
    sagemaker_pipeline_name = module.project.sagemaker_pipeline_name
  }
}

output "production_model_package_group_name" {
  description = "Model registry group main's pipeline registers models in (approve them here to deploy)."
  value       = module.project.model_package_group_name
}
