output "model_build" {
  description = "The model-build repository's HTTPS clone URL (push to main to retrain) and the CodePipeline that runs on each push."
  value = {
    clone_url_http = module.project.model_build_repository_clone_url
    pipeline_name  = module.project.model_build_pipeline_name
  }
}

output "project" {
  description = "The rest of what the project is made of: artifact bucket, KMS key, model package group (approve its versions there; approving deploys nothing in this template), SageMaker Pipeline and execution role."
  value       = module.project.summary
}

output "seed_code_set" {
  description = "Seed-code set the project's repository started with (SeedCodeSet, or the template's default)."
  value       = module.project.seed_code_set
}
