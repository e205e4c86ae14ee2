output "model_build_pipeline_name" {
  description = "CodePipeline that runs the model build (starts when the webhook exports a push to the model-build repository's branch)."
  value       = module.project.model_build_pipeline_name
}

output "model_deploy_pipeline_name" {
  description = "CodePipeline that deploys the latest approved model through the stages (starts on an export of the model-deploy repository's branch and on every approval)."
  value       = module.project.model_deploy_pipeline_name
}

output "model_package_group_name" {
  description = "Model registry group the pipeline registers models in (approve them here)."
  value       = module.project.model_package_group_name
}

output "webhook_urls" {
  description = "Register each as its repository's push webhook (POST, application/json, signed or authenticated with the secret's webhook_secret): model_build and model_deploy."
  value       = module.project.webhook_urls
}
