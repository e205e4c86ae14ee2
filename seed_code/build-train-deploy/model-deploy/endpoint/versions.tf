terraform {
  required_version = ">= 1.10" # use_lockfile (S3-native state locking) needs 1.10

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Partial configuration: bucket, key, region, use_lockfile, encrypt and kms_key_id come from
  # `terraform init -backend-config=...` in deploy-buildspec.yml.
  backend "s3" {}
}
