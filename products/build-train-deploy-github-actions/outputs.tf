output "github_actions" {
  description = "By repository (model_build, model_deploy): its owner/name, the role its workflows assume, the OIDC subjects that role trusts and the .github/sagemaker-project.json of its seed commit (commit it yourself into a repository whose branch already had commits); the dispatch function and its event type."
  value       = module.project.github_actions
}

output "model_build_repository" {
  description = "The model-build repository (owner/name) and the branch the project follows."
  value       = "${module.project.model_build_repository.name}@${module.project.model_build_repository.branch}"
}

output "model_deploy_repository" {
  description = "The model-deploy repository (owner/name) and the branch the project follows."
  value       = "${module.project.model_deploy_repository.name}@${module.project.model_deploy_repository.branch}"
}

output "project" {
  description = "The rest of what the project is made of: artifact bucket, KMS key, deploy stages (the GitHub environments of the deploy workflow), model package group (approving a model dispatches the deploy workflow), SageMaker Pipeline and execution role."
  value       = module.project.summary
}
