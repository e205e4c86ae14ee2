output "model_build_pipeline_name" {
  description = "CodePipeline that runs the model build (starts on every push to the model-build repository's branch)."
  value       = module.project.model_build_pipeline_name
}

output "model_build_repository" {
  description = "The model-build repository (owner/name) and the branch the project follows."
  value       = "${module.project.model_build_repository.name}@${module.project.model_build_repository.branch}"
}

output "model_deploy_pipeline_name" {
  description = "CodePipeline that deploys the latest approved model through the stages (starts on a push to the model-deploy repository's branch and on every approval)."
  value       = module.project.model_deploy_pipeline_name
}

output "model_deploy_repository" {
  description = "The model-deploy repository (owner/name) and the branch the project follows."
  value       = "${module.project.model_deploy_repository.name}@${module.project.model_deploy_repository.branch}"
}

output "model_package_group_name" {
  description = "Model registry group the pipeline registers models in (approve them here)."
  value       = module.project.model_package_group_name
}

output "project" {
  description = "The rest of what the project is made of: artifact bucket, KMS key, stages, SageMaker Pipeline and execution role."
  value = {
    artifact_bucket_name         = module.project.artifact_bucket_name
    deploy_stage_names           = module.project.deploy_stage_names
    kms_key_arn                  = module.project.kms_key_arn
    sagemaker_execution_role_arn = module.project.sagemaker_execution_role_arn
    sagemaker_pipeline_name      = module.project.sagemaker_pipeline_name
  }
}
