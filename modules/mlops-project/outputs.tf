output "artifact_bucket_name" {
  description = "Bucket of the project's pipeline data, models, data capture and deployment state."
  value       = module.artifact_bucket.name
}

output "deploy_stage_names" {
  description = "Deployment stages of the model-deploy pipeline, in order."
  value       = [for s in var.deploy_stages : s.name]
}

output "experiments" {
  description = "Experimentation branches (experiment_branches): the CodePipeline that builds a branch, the model package group branches register into, and the branch function; null when off."
  value = local.experiments ? {
    codepipeline_name        = module.experiments_pipeline[0].name
    model_package_group_name = module.experiment_model_package_group[0].name
    function_name            = local.role_names.branch_pipelines
    pipeline_names           = "${local.project_name}-<branch> (sanitised, see modules/branch-pipelines)"
  } : null
}

output "github_actions" {
  description = "GitHub Actions CI (ci.provider github-actions): by repository (model_build, model_deploy), its owner/name, the role its workflows assume, the subjects (sub claims) that role trusts and the .github/sagemaker-project.json its seed commit carries (add it yourself to a repository that already had commits: the seed leaves those alone); the dispatch function's name. Null with CodePipeline CI."
  value = local.github_actions ? {
    repositories = { for k, full_name in local.github_repositories : k => {
      full_name      = full_name
      role_arn       = module.github_actions_role[k].arn
      subjects       = module.github_actions_role[k].subjects
      project_config = jsonencode(local.github_actions_config[k])
    } }
    dispatch_function_name = one(module.github_dispatch[*].function_name)
    dispatch_event_type    = local.github_dispatch_event_type
  } : null
}

output "kms_key_arn" {
  description = "ARN of the project's KMS key."
  value       = module.kms_key.arn
}

output "model_build_pipeline_name" {
  description = "CodePipeline that runs the model build (starts on every push to the model-build repository); null with GitHub Actions CI."
  value       = one(module.model_build_pipeline[*].name)
}

output "model_build_repository" {
  description = "The model-build repository: CodeCommit name, or third-party full id (owner/name), and the branch its pipeline follows."
  value       = { name = module.repository["model_build"].name, branch = module.repository["model_build"].default_branch }
}

output "model_build_repository_clone_url" {
  description = "HTTPS clone URL of the model-build CodeCommit repository; null for a third-party one."
  value       = module.repository["model_build"].clone_url_http
}

output "model_deploy_pipeline_name" {
  description = "CodePipeline that deploys the latest approved model through the stages; null with GitHub Actions CI or without deploy stages."
  value       = one(module.model_deploy_pipeline[*].name)
}

output "model_deploy_repository" {
  description = "The model-deploy repository: CodeCommit name, or third-party full id (owner/name), and the branch its pipeline follows; null without deploy stages."
  value       = local.deploys ? { name = module.repository["model_deploy"].name, branch = module.repository["model_deploy"].default_branch } : null
}

output "model_deploy_repository_clone_url" {
  description = "HTTPS clone URL of the model-deploy CodeCommit repository; null for a third-party one, or without deploy stages."
  value       = local.deploys ? module.repository["model_deploy"].clone_url_http : null
}

output "model_package_group_name" {
  description = "Model registry group the pipeline registers models in (approve them here)."
  value       = module.model_package_group.name
}

output "sagemaker_execution_role_arn" {
  description = "Role the SageMaker Pipeline's jobs and the endpoints run as."
  value       = module.service_role["sagemaker"].arn
}

output "sagemaker_pipeline_name" {
  description = "Name of the SageMaker Pipeline the model build upserts and runs."
  value       = local.sagemaker_pipeline_name
}

output "seed_code_keys" {
  description = "S3 keys of the seed code pushed into the repositories, by repository (empty: the repositories start empty)."
  value       = local.seed_code_keys
}

output "seed_code_set" {
  description = "Seed-code set the repositories start with (null: no sets in artifacts.json, or seed_code_keys given)."
  value       = length(var.seed_code_keys) > 0 ? null : local.seed_code_set
}

output "summary" {
  description = "What a product shows of the project besides its repositories: artifact bucket, KMS key, deploy stages, model package group, SageMaker Pipeline and execution role."
  value = {
    artifact_bucket_name         = module.artifact_bucket.name
    deploy_stage_names           = [for s in var.deploy_stages : s.name]
    kms_key_arn                  = module.kms_key.arn
    model_package_group_name     = module.model_package_group.name
    sagemaker_execution_role_arn = module.service_role["sagemaker"].arn
    sagemaker_pipeline_name      = local.sagemaker_pipeline_name
  }
}

output "webhook_urls" {
  description = "Any-git repositories: the push webhook URL of each (model_build, model_deploy), to register on the git server with the secret's webhook_secret; null for the other kinds (and without the packaged git-webhook function)."
  value       = one(module.git_webhook[*].urls)
}
