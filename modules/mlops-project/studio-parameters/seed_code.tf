# The seed-code set parameter of the templates that allow several (products/<name>/seed_code_parameters.tf links
# here; the product passes it to modules/mlops-project as seed_code_set, which checks it against the sets the
# packaged product allows and fails the plan naming them).

variable "SeedCodeSet" {
  description = "Starter code of the project's repositories: the name of one of the seed-code sets this template offers (its README lists them). Leave empty for the template's default set."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.SeedCodeSet == "" || can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.SeedCodeSet))
    error_message = "SeedCodeSet must be empty (the template's default) or a seed-code set name: lowercase letters, digits and single hyphens, e.g. abalone-xgboost."
  }
}
