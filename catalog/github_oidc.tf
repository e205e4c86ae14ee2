# ---------------------------------------------------------------------------------------------------------------
# The account's GitHub OIDC identity provider (third-party CI: the build-train-deploy-github-actions template). IAM
# holds one provider per URL and account, so the catalog owns it and publishes its ARN in SSM; each project's role
# (modules/github-oidc-role) trusts it for that project's repositories and branches only. Since July 2023 IAM
# validates GitHub's tokens against its own trusted root CAs, so no thumbprint is given (optional in hashicorp/aws
# 5.100 and 6.x). With existing_provider_arn the catalog publishes a provider created elsewhere instead.
# ---------------------------------------------------------------------------------------------------------------

locals {
  create_github_oidc_provider = var.github_oidc.enabled && var.github_oidc.existing_provider_arn == null
  github_oidc_provider_arn = !var.github_oidc.enabled ? null : (
    local.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc.existing_provider_arn
  )
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.create_github_oidc_provider ? 1 : 0

  url            = var.github_oidc.url
  client_id_list = [var.github_oidc.audience]
  tags           = var.tags
}

resource "aws_ssm_parameter" "github_oidc_provider" {
  #checkov:skip=CKV2_AWS_34:the parameter holds a provider ARN, not a secret; SecureString would force every reader to use KMS
  count = var.github_oidc.enabled ? 1 : 0

  name        = var.github_oidc.parameter_name
  description = "GitHub OIDC identity provider of the ${var.name_prefix} MLOps template catalog (${var.github_oidc.url}, audience ${var.github_oidc.audience})"
  type        = "String"
  value       = local.github_oidc_provider_arn
  tags        = var.tags
}
