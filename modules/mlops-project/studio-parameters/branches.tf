# The branch parameters of the templates on existing repositories (products/<name>/branch_parameters.tf links here),
# named like SageMaker's own third-party Git template's.

variable "ModelBuildCodeRepositoryBranch" {
  description = "Branch of the model-build repository the project follows: the seed code goes there if the branch does not exist yet, and every push to it retrains."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.ModelBuildCodeRepositoryBranch)) && !endswith(var.ModelBuildCodeRepositoryBranch, ".lock") && !startswith(var.ModelBuildCodeRepositoryBranch, "-")
    error_message = "ModelBuildCodeRepositoryBranch must be a git branch name (letters, digits, ., _, / and -)."
  }
}

variable "ModelDeployCodeRepositoryBranch" {
  description = "Branch of the model-deploy repository the project follows: the seed code goes there if the branch does not exist yet, and every push to it redeploys the latest approved model."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.ModelDeployCodeRepositoryBranch)) && !endswith(var.ModelDeployCodeRepositoryBranch, ".lock") && !startswith(var.ModelDeployCodeRepositoryBranch, "-")
    error_message = "ModelDeployCodeRepositoryBranch must be a git branch name (letters, digits, ., _, / and -)."
  }
}
