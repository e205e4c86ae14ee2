# The catalog the platform team applies: the artifact bucket, a portfolio per team, every packaged product and
# version of the manifest, the personas' IAM, a launch role per product with the permissions boundary of the roles
# products create, and the access log bucket of the projects. The artifacts themselves are put into
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
  # The condition chooses between texts: a decoded manifest whose products differ in shape (other versions, other
  # seed-code sets) has no type in common with an empty object literal.
  manifest = jsondecode(fileexists(local.manifest_file) ? file(local.manifest_file) : jsonencode({ format_version = 1, products = {}, artifacts = [] }))
  products = local.manifest.products

  create_bucket = var.artifact_bucket_name == null
  bucket_name   = local.create_bucket ? "mlops-templates-catalog-${local.account_id}-${local.region}" : var.artifact_bucket_name
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  kms_key_arn   = local.create_bucket ? module.kms_key[0].arn : var.artifact_kms_key_arn
  template_base = "https://${local.bucket_name}.s3.${local.region}.${data.aws_partition.current.dns_suffix}"

  # The permissions boundary of every role a product creates. Its path and name are fixed: modules/mlops-project
  # computes the same ARN (permissions_boundary_arn) without reading anything.
  project_boundary = {
    path = "/mlops-templates/"
    name = "mlops-project-boundary"
  }
  project_boundary_arn = "arn:${local.partition}:iam::${local.account_id}:policy${local.project_boundary.path}${local.project_boundary.name}"

  access_log_bucket_name = "mlops-templates-access-logs-${local.account_id}-${local.region}"
  access_log_bucket_arn  = "arn:${local.partition}:s3:::${local.access_log_bucket_name}"

  # Products whose required_version (its lower bound, >= X.Y) needs a newer Terraform than the engine runs;
  # versions compare as MAJOR * 1000 + MINOR.
  engine_version = var.terraform_engine_cli_version == null ? null : sum([for i, part in slice(split(".", var.terraform_engine_cli_version), 0, 2) : tonumber(part) * (i == 0 ? 1000 : 1)])
  required_versions = {
    for name, product in local.products : name => try(sum([for i, part in regex(">=?\\s*(\\d+)\\.(\\d+)", product.terraform_required_version) : tonumber(part) * (i == 0 ? 1000 : 1)]), 0)
  }
  engine_too_old = local.engine_version == null ? [] : [
    for name, needed in local.required_versions : "${name} (${local.products[name].terraform_required_version})" if needed > local.engine_version
  ]

  # Each product's launch policy is the statements of the fragments its launch-policies/<product>.json lists
  # (launch-policies/fragments/<fragment>.json.tftpl): what every project is (mlops-project), then where its code
  # lives (codecommit, codeconnections, anygit) and what else it runs (branches, github-actions).
  launch_policy_files = { for name in keys(local.products) : name => "${path.module}/launch-policies/${name}.json" }
  missing_policies    = [for name, file in local.launch_policy_files : name if !fileexists(file)]
  launch_policy_variables = {
    access_log_bucket_parameter_name = var.access_log_bucket_parameter_name
    access_log_bucket_parameter_path = regex("^(.*)/[^/]+$", var.access_log_bucket_parameter_name)[0]
    account_id                       = local.account_id
    catalog_bucket_parameter_name    = var.catalog_bucket_parameter_name
    github_oidc_parameter_name       = var.github_oidc.parameter_name
    partition                        = local.partition
    permissions_boundary_arn         = local.project_boundary_arn
    region                           = local.region
  }
  launch_policies = {
    for name, file in local.launch_policy_files : name => jsonencode({
      Version = "2012-10-17"
      Statement = flatten([
        for fragment in(fileexists(file) ? jsondecode(file(file)) : []) :
        jsondecode(templatefile("${path.module}/launch-policies/fragments/${fragment}.json.tftpl", local.launch_policy_variables)).Statement
      ])
    })
  }

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
      error_message = "No launch policy for product(s) ${join(", ", local.missing_policies)}: add catalog/launch-policies/<product>.json listing the fragments (launch-policies/fragments) that allow exactly what the product's Terraform creates."
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

# ---------------------------------------------------------------------------------------------------------------
# Access logs of the project buckets: one bucket for the catalog, its name published in SSM for the projects
# (modules/mlops-project reads it). S3 documents SSE-S3 as the only default encryption server access log delivery
# supports on the target bucket.
# ---------------------------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_18:this is the access log bucket; logging its own accesses into itself would loop
  #checkov:skip=CKV_AWS_144:cross-region replication of access logs is the organisation's choice, not the catalog's
  #checkov:skip=CKV_AWS_145:S3 server access log delivery supports only SSE-S3 as the target bucket's default encryption
  #checkov:skip=CKV2_AWS_62:no consumer of object-created events for access logs
  bucket = local.access_log_bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  # The S3 logging service writes the logs of this account's buckets only.
  statement {
    sid       = "S3ServerAccessLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${local.access_log_bucket_arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:s3:::sagemaker-project-p-*"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.access_log_bucket_arn, "${local.access_log_bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

resource "aws_ssm_parameter" "access_log_bucket" {
  #checkov:skip=CKV2_AWS_34:the parameter holds a bucket name, not a secret; SecureString would force every reader to use KMS
  name        = var.access_log_bucket_parameter_name
  description = "Bucket receiving the S3 server access logs of the ${var.name_prefix} MLOps projects"
  type        = "String"
  value       = local.access_log_bucket_name
  tags        = var.tags

  # Published once the bucket accepts log deliveries.
  depends_on = [aws_s3_bucket_policy.access_logs]
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

  account_id                   = local.account_id
  region                       = local.region
  partition                    = local.partition
  name_prefix                  = var.name_prefix
  artifact_bucket_arn          = local.bucket_arn
  artifact_kms_key_arn         = local.kms_key_arn
  enforced_tag_keys            = concat(["team"], sort(keys(var.tag_options)))
  teams                        = toset(keys(var.teams))
  portfolio_arns               = [for team in sort(keys(var.teams)) : module.portfolio[team].arn]
  create_roles                 = var.create_persona_roles
  persona_trust_principal_arns = var.persona_trust_principal_arns
  studio_execution_role_names  = var.studio_execution_role_names
  tags                         = var.tags
}

module "launch_roles" {
  source = "./modules/launch-roles"

  account_id                         = local.account_id
  region                             = local.region
  partition                          = local.partition
  name_prefix                        = var.name_prefix
  artifact_bucket_arn                = local.bucket_arn
  artifact_kms_key_arn               = local.kms_key_arn
  terraform_engine_role_arn_patterns = var.terraform_engine_role_arn_patterns
  tags                               = var.tags
  permissions_boundary = merge(local.project_boundary, {
    policy_json = templatefile("${path.module}/boundaries/mlops-project.json.tftpl", {
      account_id          = local.account_id
      catalog_bucket_name = local.bucket_name
      partition           = local.partition
      region              = local.region
    })
  })
  products = {
    for name, policy in local.launch_policies : name => { launch_policy_json = policy }
  }
}

# The launch roles lived in module.personas before they got their own module.
moved {
  from = module.personas.aws_iam_role.launch
  to   = module.launch_roles.aws_iam_role.this
}

moved {
  from = module.personas.aws_iam_role_policy.launch_product
  to   = module.launch_roles.aws_iam_role_policy.product
}

moved {
  from = module.personas.aws_iam_role_policy.launch_engine
  to   = module.launch_roles.aws_iam_role_policy.engine
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
  launch_role_name = module.launch_roles.role_names[each.key]
  tags             = var.tags

  depends_on = [terraform_data.manifest]
}
