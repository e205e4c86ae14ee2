output "arn" {
  description = "ARN of the repository."
  value       = aws_codecommit_repository.this.arn
}

output "clone_url_http" {
  description = "HTTPS clone URL (git-remote-codecommit users: codecommit::<region>://<name>)."
  value       = aws_codecommit_repository.this.clone_url_http
}

output "clone_url_ssh" {
  description = "SSH clone URL."
  value       = aws_codecommit_repository.this.clone_url_ssh
}

output "default_branch" {
  description = "Branch the pipelines follow."
  value       = var.default_branch
}

output "event_pattern" {
  description = "EventBridge event pattern (JSON) matching a push to default_branch of this repository."
  value = jsonencode({
    source      = ["aws.codecommit"]
    detail-type = ["CodeCommit Repository State Change"]
    resources   = [local.arn]
    detail = {
      event         = ["referenceCreated", "referenceUpdated"]
      referenceType = ["branch"]
      referenceName = [var.default_branch]
    }
  })
}

output "name" {
  description = "Name of the repository, available once the seed code (if any) is pushed."
  value       = aws_codecommit_repository.this.repository_name

  depends_on = [aws_lambda_invocation.seed]
}

output "seed_result" {
  description = "What the seed push reported ({status = pushed|resumed|skipped, reason, commit_id, commits, files, empty_files}); null without seed code."
  value       = var.seed == null ? null : jsondecode(aws_lambda_invocation.seed[0].result)
}

output "source_action_configuration" {
  description = "Configuration of a CodePipeline CodeCommit source action for default_branch (EventBridge starts the pipeline, so no polling)."
  value = {
    RepositoryName       = aws_codecommit_repository.this.repository_name
    BranchName           = var.default_branch
    PollForSourceChanges = "false"
    OutputArtifactFormat = "CODE_ZIP"
  }
}
