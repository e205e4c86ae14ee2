output "artifact_bucket_name" {
  description = "Bucket of the project's pipeline data and models."
  value       = module.project.artifact_bucket_name
}

output "kms_key_arn" {
  description = "ARN of the project's KMS key."
  value       = module.project.kms_key_arn
}

output "model_build_pipeline_name" {
  description = "CodePipeline that runs the model build (starts on every push to the model-build repository)."
  value       = module.project.model_build_pipeline_name
}

output "model_build_repository_clone_url" {
  description = "HTTPS clone URL of the model-build repository."
  value       = module.project.model_build_repository_clone_url
}

output "model_package_group_name" {
  description = "Model registry group the pipeline registers models in (approving one deploys nothing in this template)."
  value       = module.project.model_package_group_name
}

output "sagemaker_execution_role_arn" {
  description = "Role the SageMaker Pipeline's jobs run as."
  value       = module.project.sagemaker_execution_role_arn
}

output "sagemaker_pipeline_name" {
  description = "Name of the SageMaker Pipeline the model build upserts and runs."
  value       = module.project.sagemaker_pipeline_name
}

output "seed_code_set" {
  description = "Seed-code set the project's repository started with (SeedCodeSet, or the template's default)."
  value       = module.project.seed_code_set
}
