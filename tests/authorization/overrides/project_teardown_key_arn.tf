# The teardown function's project key, known only after apply, replaced by the placeholder the cases name as the
# key's ARN (see mlops_project_key_arn.tf). The other attributes are the module's own expressions.
module "project_teardown" {
  function = {
    name                  = "${local.short_prefix}-teardown"
    code_bucket           = local.seed_bucket
    code_key              = var.teardown_function_key
    kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
    log_retention_in_days = var.log_retention_in_days
  }
}
