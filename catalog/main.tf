# The catalog the platform team applies: the artifact bucket, a portfolio per team, every packaged product and
# version of the manifest, the personas' IAM and a launch role per product. The artifacts themselves are put into
# the bucket by `mlops-templates upload` (content-addressed keys), not by Terraform: the CLI owns the uploads.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# See products/build-train-deploy/locals.tf: the endpoint is the one aws_region attribute stable in 5.x and 6.x.
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = split(".", data.aws_region.current.endpoint)[1]

  manifest_file = startswith(var.manifest_path, "/") ? var.manifest_path : "${path.module}/${var.manifest_path}"
  manifest      = fileexists(local.manifest_file) ? jsondecode(file(local.manifest_file)) : { format_version = 1, products = {}, artifacts = [] }
  products      = local.manifest.products

  create_bucket = var.artifact_bucket_name == null
  bucket_name   = local.create_bucket ? "mlops-templates-catalog-${local.account_id}-${local.region}" : var.artifact_bucket_name
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  kms_key_arn   = local.create_bucket ? module.kms_key[0].arn : var.artifact_kms_key_arn
  template_base = "https://${local.bucket_name}.s3.${local.region}.${data.aws_partition.current.dns_suffix}"

  # Products whose required_version (its lower bound, >= X.Y) needs a newer Terraform than the engine runs;
  # versions compare as MAJOR * 1000 + MINOR.
  engine_version = var.terraform_engine_cli_version == null ? null : sum([for i, part in slice(split(".", var.terraform_engine_cli_version), 0, 2) : tonumber(part) * (i == 0 ? 1000 : 1)])
  required_versions = {
    for name, product in local.products : name => try(sum([for i, part in regex(">=?\\s*(\\d+)\\.(\\d+)", product.terraform_required_version) : tonumber(part) * (i == 0 ? 1000 : 1)]), 0)
  }
  engine_too_old = local.engine_version == null ? [] : [
    for name, needed in local.required_versions : "${name} (${local.products[name].terraform_required_version})" if needed > local.engine_version
  ]

  launch_policy_files = { for name in keys(local.products) : name => "${path.module}/launch-policies/${name}.json.tftpl" }
  missing_policies    = [for name, file in local.launch_policy_files : name if !fileexists(file)]

  # Products offered by each team's portfolio (null: all of them).
  portfolio_products = {
    for pair in flatten([
      for team, cfg in var.teams : [
        for name in keys(local.products) : { team = team, product = name }
        if cfg.products == null || contains(coalesce(cfg.products, []), name)
      ]
    ]) : "${pair.team}/${pair.product}" => pair
  }
}

# Fails the plan with a clear message when the manifest or the launch policies do not fit together.
resource "terraform_data" "manifest" {
  input = { products = sort(keys(local.products)) }

  lifecycle {
    precondition {
      condition     = try(local.manifest.format_version, 0) == 1
      error_message = "${var.manifest_path}: not a manifest written by `mlops-templates package` (format_version 1)."
    }
    precondition {
      condition     = length(local.engine_too_old) == 0
      error_message = "The Terraform engine runs Terraform ${coalesce(var.terraform_engine_cli_version, "?")}, older than what ${join(", ", local.engine_too_old)} need(s): reinstall the engine with a newer TerraformCliVersion."
    }
    precondition {
      condition     = length(local.missing_policies) == 0
      error_message = "No launch policy for product(s) ${join(", ", local.missing_policies)}: add catalog/launch-policies/<product>.json.tftpl with exactly what the product's Terraform creates."
    }
  }
}

module "kms_key" {
  source = "./modules/kms-key"
  count  = local.create_bucket ? 1 : 0

  account_id   = local.account_id
  region       = local.region
  alias_name   = "${var.name_prefix}-templates-catalog"
  description  = "Packaged MLOps templates, seed code and functions of the ${var.name_prefix} catalog"
  via_services = ["s3"]
  tags         = var.tags
}

module "artifact_bucket" {
  source = "./modules/artifact-bucket"
  count  = local.create_bucket ? 1 : 0

  name        = local.bucket_name
  kms_key_arn = module.kms_key[0].arn
  tags        = var.tags
}

resource "aws_ssm_parameter" "catalog_bucket" {
  #checkov:skip=CKV2_AWS_34:the parameter holds a bucket name, not a secret; SecureString would force every reader to use KMS
  name        = var.catalog_bucket_parameter_name
  description = "Bucket of the ${var.name_prefix} MLOps template catalog (packaged products, seed code, functions)"
  type        = "String"
  value       = local.bucket_name
  tags        = var.tags
}

resource "aws_servicecatalog_tag_option" "shared" {
  for_each = { for pair in flatten([for key, values in var.tag_options : [for value in values : { key = key, value = value }]]) : "${pair.key}=${pair.value}" => pair }

  key   = each.value.key
  value = each.value.value
}

module "portfolio" {
  source   = "./modules/service-catalog-portfolio"
  for_each = var.teams

  name                   = "${var.name_prefix}-${each.key}"
  description            = coalesce(each.value.description, "MLOps project templates for team ${each.key}")
  provider_name          = var.portfolio_provider_name
  principal_arns         = each.value.principal_arns
  principal_arn_patterns = each.value.principal_arn_patterns
  tag_options            = { team = [each.key] }
  share_account_ids      = each.value.share_account_ids
  tags                   = merge(var.tags, { team = each.key })
}

module "personas" {
  source = "./modules/mlops-personas"

  account_id                         = local.account_id
  region                             = local.region
  partition                          = local.partition
  name_prefix                        = var.name_prefix
  artifact_bucket_arn                = local.bucket_arn
  artifact_kms_key_arn               = local.kms_key_arn
  enforced_tag_keys                  = concat(["team"], sort(keys(var.tag_options)))
  teams                              = toset(keys(var.teams))
  portfolio_arns                     = [for team in sort(keys(var.teams)) : module.portfolio[team].arn]
  create_roles                       = var.create_persona_roles
  persona_trust_principal_arns       = var.persona_trust_principal_arns
  studio_execution_role_names        = var.studio_execution_role_names
  terraform_engine_role_arn_patterns = var.terraform_engine_role_arn_patterns
  tags                               = var.tags
  products = {
    for name, file in local.launch_policy_files : name => {
      launch_policy_json = fileexists(file) ? templatefile(file, {
        account_id                    = local.account_id
        catalog_bucket_parameter_name = var.catalog_bucket_parameter_name
        partition                     = local.partition
        region                        = local.region
      }) : jsonencode({ Version = "2012-10-17", Statement = [] })
    }
  }
}

module "product" {
  source   = "./modules/service-catalog-product"
  for_each = local.products

  name                = each.key
  owner               = each.value.owner
  distributor         = each.value.distributor
  description         = each.value.description
  support_email       = each.value.support_email
  support_url         = each.value.support_url
  support_description = each.value.support_description
  product_type        = var.product_type
  initial_version     = each.value.initial_version
  retired_versions    = lookup(var.retired_versions, each.key, [])
  versions = {
    for version, details in each.value.versions : version => {
      template_url = "${local.template_base}/${details.key}"
      description  = details.description
      guidance     = details.guidance
    }
  }
  portfolio_ids    = { for key, pair in local.portfolio_products : pair.team => module.portfolio[pair.team].id if pair.product == each.key }
  tag_option_ids   = { for key, option in aws_servicecatalog_tag_option.shared : key => option.id }
  launch_role_name = module.personas.launch_role_names[each.key]
  tags             = var.tags

  depends_on = [terraform_data.manifest]
}
