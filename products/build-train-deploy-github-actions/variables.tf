# The Studio parameter of this template beyond the shared ones (project_parameters.tf, connection_parameters.tf,
# branch_parameters.tf, seed_code_parameters.tf): the token the model approvals reach GitHub with.

variable "GitHubTokenSecretArn" {
  description = "ARN of the Secrets Manager secret holding {\"token\": \"...\"}: a fine-grained personal access token or GitHub App installation token with Contents read and write on the model-deploy repository, with which a model approval or rejection is sent to its deploy workflow (repository_dispatch model-approval). The project's dispatch function may read this secret and nothing else."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", var.GitHubTokenSecretArn))
    error_message = "GitHubTokenSecretArn must be the ARN of a Secrets Manager secret: arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>."
  }
}
