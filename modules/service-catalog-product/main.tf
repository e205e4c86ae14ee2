locals {
  # The version created with the product (Service Catalog needs exactly one at creation); every other
  # version is an aws_servicecatalog_provisioning_artifact of its own.
  initial_version = coalesce(var.initial_version, sort(keys(var.versions))[0])
  other_versions  = { for name, version in var.versions : name => version if name != local.initial_version }

  # SageMaker Studio lists a product under "Organization templates" only with this tag.
  tags = merge(var.tags, { "sagemaker:studio-visibility" = "true" })

  launch_portfolio_ids = var.launch_role_name == null ? {} : var.portfolio_ids
}

resource "aws_servicecatalog_product" "this" {
  name                = var.name
  owner               = var.owner
  description         = var.description
  distributor         = var.distributor
  support_description = var.support_description
  support_email       = var.support_email
  support_url         = var.support_url
  type                = var.product_type
  tags                = local.tags

  provisioning_artifact_parameters {
    name                        = local.initial_version
    description                 = var.versions[local.initial_version].description
    template_url                = var.versions[local.initial_version].template_url
    type                        = var.product_type
    disable_template_validation = false
  }

  lifecycle {
    # Only used by CreateProduct; later versions are separate provisioning artifacts, and a change here
    # would replace the product (and with it every version and provisioned product reference).
    ignore_changes = [provisioning_artifact_parameters]
  }
}

resource "aws_servicecatalog_provisioning_artifact" "this" {
  for_each = local.other_versions

  product_id   = aws_servicecatalog_product.this.id
  name         = each.key
  description  = each.value.description
  template_url = each.value.template_url
  type         = var.product_type
  guidance     = each.value.guidance
  active       = each.value.active

  depends_on = [data.aws_servicecatalog_provisioning_artifacts.published]
}

# The versions Service Catalog holds now. Its postcondition stops a plan that would delete a published
# version only because it disappeared from var.versions: deleting one must be asked for in retired_versions.
data "aws_servicecatalog_provisioning_artifacts" "published" {
  product_id = aws_servicecatalog_product.this.id

  lifecycle {
    # The first version, created with the product, cannot move to a provisioning artifact resource.
    postcondition {
      # A conditional, not ||: Terraform evaluates both operands of || and indexing an empty list fails.
      condition     = length(self.provisioning_artifact_details) == 0 ? true : split(" ", sort([for a in self.provisioning_artifact_details : "${a.created_time} ${a.name}"])[0])[1] == local.initial_version
      error_message = "The product was created with another first version than ${local.initial_version}: set initial_version to the name of the version the product was created with."
    }

    postcondition {
      condition = alltrue([
        for artifact in self.provisioning_artifact_details :
        contains(concat(keys(var.versions), tolist(var.retired_versions)), artifact.name)
      ])
      error_message = "Published versions are missing from var.versions: ${join(", ", [for a in self.provisioning_artifact_details : a.name if !contains(keys(var.versions), a.name) && !contains(tolist(var.retired_versions), a.name)])}. Keep them in versions (set active = false to hide them), or list them in retired_versions to delete them."
    }
  }
}

resource "aws_servicecatalog_product_portfolio_association" "this" {
  for_each = var.portfolio_ids

  portfolio_id = each.value
  product_id   = aws_servicecatalog_product.this.id
}

resource "aws_servicecatalog_tag_option_resource_association" "this" {
  for_each = var.tag_option_ids

  resource_id   = aws_servicecatalog_product.this.id
  tag_option_id = each.value
}

resource "aws_servicecatalog_constraint" "launch" {
  for_each = local.launch_portfolio_ids

  description  = "Launch ${var.name} with the local role ${var.launch_role_name}"
  portfolio_id = each.value
  product_id   = aws_servicecatalog_product.this.id
  type         = "LAUNCH"
  # LocalRoleName (not RoleArn): each account that imports a shared portfolio uses its own role of that name.
  parameters = jsonencode({ LocalRoleName = var.launch_role_name })

  depends_on = [aws_servicecatalog_product_portfolio_association.this]
}
