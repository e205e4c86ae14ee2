# Written beside the product's root by the plan case: the catalog's GitHub OIDC provider, given (an override file
# replaces the module's ci argument: the same preset plus the provider's ARN).
module "project" {
  ci = {
    provider = "github-actions"
    github = {
      token_secret_arn  = var.GitHubTokenSecretArn
      oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }
}
