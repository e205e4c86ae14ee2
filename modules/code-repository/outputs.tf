output "arn" {
  description = "ARN of the CodeCommit repository; null for a third-party repository."
  value       = one(aws_codecommit_repository.this[*].arn)
}

output "clone_url_http" {
  description = "HTTPS clone URL of the CodeCommit repository (git-remote-codecommit users: codecommit::<region>://<name>); null for a third-party repository (clone it from its provider)."
  value       = one(aws_codecommit_repository.this[*].clone_url_http)
}

output "clone_url_ssh" {
  description = "SSH clone URL of the CodeCommit repository; null for a third-party repository."
  value       = one(aws_codecommit_repository.this[*].clone_url_ssh)
}

output "default_branch" {
  description = "Branch the pipelines follow."
  value       = var.default_branch
}

output "event_pattern" {
  description = "EventBridge event pattern (JSON) matching a push to default_branch of the CodeCommit repository; null for a third-party repository (its pipeline starts on a CodePipeline V2 push trigger)."
  value = local.codecommit ? jsonencode({
    source      = ["aws.codecommit"]
    detail-type = ["CodeCommit Repository State Change"]
    resources   = [local.arn]
    detail = {
      event         = ["referenceCreated", "referenceUpdated"]
      referenceType = ["branch"]
      referenceName = [var.default_branch]
    }
  }) : null
}

output "name" {
  description = "Name of the CodeCommit repository, full id (owner/name) of the CodeConnections one, or URL of the any-git one; available once the seed code (if any) is pushed."
  value       = local.codecommit ? one(aws_codecommit_repository.this[*].repository_name) : coalesce(var.full_repository_id, var.repository_url)

  depends_on = [aws_lambda_invocation.seed]
}

output "seed_result" {
  description = "What the seed push reported (CodeCommit: {status = pushed|resumed|skipped, reason, commit_id, commits, files, empty_files}; third-party: {status = pushed|skipped, reason, commit, files, parts}); null without seed code."
  value       = var.seed == null ? null : jsondecode(aws_lambda_invocation.seed[0].result)
}

output "source" {
  description = "The repository as modules/mlops-pipeline's source_repository takes it: provider, branch_name and repository_name (CodeCommit) or connection_arn and full_repository_id (CodeConnections). An any-git repository reaches its pipeline as a zip in S3, which the caller names (provider anygit here)."
  value = {
    provider           = var.provider_type
    branch_name        = var.default_branch
    repository_name    = local.codecommit ? one(aws_codecommit_repository.this[*].repository_name) : null
    connection_arn     = var.connection_arn
    full_repository_id = var.full_repository_id
  }

  depends_on = [aws_lambda_invocation.seed]
}
