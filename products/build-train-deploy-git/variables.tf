# The Studio parameters of this template. The Service Catalog engine offers every variable of the root .tf files as
# a provisioning parameter; the names follow SageMaker's own "model building, training, and deployment with
# third-party Git repositories using CodePipeline" template, so data scientists recognise them. SageMaker passes the
# first two itself. Each is validated here, so that Studio's error names the parameter.

variable "CodeConnectionArn" {
  description = "ARN of the AWS CodeConnections connection (Developer Tools > Settings > Connections) to GitHub, GitHub Enterprise Server, GitLab, GitLab self-managed or Bitbucket, e.g. arn:aws:codeconnections:eu-west-1:123456789012:connection/<id>. It must be Available and give access to both repositories."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", var.CodeConnectionArn))
    error_message = "CodeConnectionArn must be the ARN of a connection: arn:aws:codeconnections:<region>:<account>:connection/<36-character id> (or the older codestar-connections form)."
  }
}

variable "ModelBuildCodeRepositoryBranch" {
  description = "Branch of the model-build repository the project follows: the seed code goes there if it has no commits yet, and every push to it retrains."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.ModelBuildCodeRepositoryBranch)) && !endswith(var.ModelBuildCodeRepositoryBranch, ".lock") && !startswith(var.ModelBuildCodeRepositoryBranch, "-")
    error_message = "ModelBuildCodeRepositoryBranch must be a git branch name (letters, digits, ., _, / and -)."
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

variable "ModelDeployCodeRepositoryBranch" {
  description = "Branch of the model-deploy repository the project follows: the seed code goes there if it has no commits yet, and every push to it redeploys the latest approved model."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.ModelDeployCodeRepositoryBranch)) && !endswith(var.ModelDeployCodeRepositoryBranch, ".lock") && !startswith(var.ModelDeployCodeRepositoryBranch, "-")
    error_message = "ModelDeployCodeRepositoryBranch must be a git branch name (letters, digits, ., _, / and -)."
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

variable "SageMakerProjectId" {
  description = "ID of the SageMaker project (passed by SageMaker as a provisioning parameter), e.g. p-abcdef123456."
  type        = string
}

variable "SageMakerProjectName" {
  description = "Name of the SageMaker project (passed by SageMaker as a provisioning parameter)."
  type        = string
}
