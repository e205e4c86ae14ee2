# Studio parameters of the templates whose repositories are behind an AWS CodeConnections connection
# (build-train-deploy-git, build-train-deploy-github-actions): named after SageMaker's own "model building, training,
# and deployment with third-party Git repositories using CodePipeline" template, so data scientists recognise them.
# Products link this file as connection_parameters.tf (`mlops-templates package` copies its content) and pass
# local.connection_source_control to modules/mlops-project; each parameter is validated here, so that Studio's error
# names it. The branch parameters are branch_parameters.tf's.

locals {
  connection_source_control = {
    provider       = "codeconnections"
    connection_arn = var.CodeConnectionArn
    repositories = {
      model_build  = { full_repository_id = var.ModelBuildCodeRepositoryFullname, branch = var.ModelBuildCodeRepositoryBranch }
      model_deploy = { full_repository_id = var.ModelDeployCodeRepositoryFullname, branch = var.ModelDeployCodeRepositoryBranch }
    }
  }
}

variable "CodeConnectionArn" {
  description = "ARN of the AWS CodeConnections connection (Developer Tools > Settings > Connections) to GitHub, GitHub Enterprise Server, GitLab, GitLab self-managed or Bitbucket, e.g. arn:aws:codeconnections:eu-west-1:123456789012:connection/<id>. It must be Available and give access to both repositories."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", var.CodeConnectionArn))
    error_message = "CodeConnectionArn must be the ARN of a connection: arn:aws:codeconnections:<region>:<account>:connection/<36-character id> (or the older codestar-connections form)."
  }
}

variable "ModelBuildCodeRepositoryFullname" {
  description = "Full name of the existing model-build repository behind the connection: owner/name (GitHub, Bitbucket workspace/name, GitLab group/subgroup/name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.ModelBuildCodeRepositoryFullname))
    error_message = "ModelBuildCodeRepositoryFullname must be owner/name (GitLab: group/subgroup/name), not a URL."
  }
}

variable "ModelDeployCodeRepositoryFullname" {
  description = "Full name of the existing model-deploy repository behind the connection: owner/name (GitHub, Bitbucket workspace/name, GitLab group/subgroup/name). It must differ from the model-build repository."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.ModelDeployCodeRepositoryFullname))
    error_message = "ModelDeployCodeRepositoryFullname must be owner/name (GitLab: group/subgroup/name), not a URL."
  }

  validation {
    condition     = lower(var.ModelDeployCodeRepositoryFullname) != lower(var.ModelBuildCodeRepositoryFullname)
    error_message = "ModelDeployCodeRepositoryFullname must name another repository than ModelBuildCodeRepositoryFullname (each gets its own seed code and pipeline)."
  }
}
