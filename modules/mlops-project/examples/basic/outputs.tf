output "model_build_pipeline_name" {
  description = "CodePipeline of the model build."
  value       = module.project.model_build_pipeline_name
}
