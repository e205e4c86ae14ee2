# Values known only after apply, substituted for the authorization cases (tests/authorization/README.md): the
# project key's ARN becomes a fixed placeholder, which the cases name as the key's resource.
module "artifact_bucket" {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
}

module "seed_push_function" {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
}

module "git_webhook" {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
}

locals {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
}

module "branch_pipelines" {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
}

module "github_dispatch" {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-0000000000aa"
}
