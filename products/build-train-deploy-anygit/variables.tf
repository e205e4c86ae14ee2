# The Studio parameters of this template. The Service Catalog engine offers every variable of the root .tf files as
# a provisioning parameter. The project's own (project_parameters.tf) and the
# branches (branch_parameters.tf) are shared with the other templates. Each is validated here, so that Studio's
# error names the parameter.

variable "GitCredentialsSecretArn" {
  description = "ARN of the Secrets Manager secret with the repositories' credentials, JSON {\"username\": ..., \"token\": ..., \"webhook_secret\": ...}: the token (a personal access token, app password, ...) may read and push both repositories; webhook_secret is what the git server signs its push webhooks with."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.GitCredentialsSecretArn))
    error_message = "GitCredentialsSecretArn must be the ARN of a Secrets Manager secret: arn:aws:secretsmanager:<region>:<account>:secret:<name>."
  }
}

variable "ModelBuildCodeRepositoryUrl" {
  description = "HTTPS clone URL of the existing model-build repository, e.g. https://dev.azure.com/org/project/_git/modelbuild or https://gitea.example.com/team/modelbuild.git (no credentials in it)."
  type        = string

  validation {
    condition     = can(regex("^https://[^/@\\s]+/\\S+$", var.ModelBuildCodeRepositoryUrl))
    error_message = "ModelBuildCodeRepositoryUrl must be an https:// clone URL without credentials in it (they come from GitCredentialsSecretArn)."
  }
}

variable "ModelDeployCodeRepositoryUrl" {
  description = "HTTPS clone URL of the existing model-deploy repository (no credentials in it). It must differ from the model-build repository."
  type        = string

  validation {
    condition     = can(regex("^https://[^/@\\s]+/\\S+$", var.ModelDeployCodeRepositoryUrl))
    error_message = "ModelDeployCodeRepositoryUrl must be an https:// clone URL without credentials in it (they come from GitCredentialsSecretArn)."
  }

  validation {
    condition     = trimsuffix(lower(var.ModelDeployCodeRepositoryUrl), ".git") != trimsuffix(lower(var.ModelBuildCodeRepositoryUrl), ".git")
    error_message = "ModelDeployCodeRepositoryUrl must name another repository than ModelBuildCodeRepositoryUrl (each gets its own seed code and pipeline)."
  }
}
