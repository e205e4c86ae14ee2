data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  # Known at plan time (unlike aws_s3_bucket.this.arn), so the whole bucket policy can be reviewed in a plan.
  bucket_arn = "arn:${local.partition}:s3:::${var.name}"
}

resource "aws_s3_bucket" "this" {
  # checkov:skip=CKV_AWS_144:Cross-region replication is a disaster-recovery choice of the caller, not a default for project artifacts.
  # checkov:skip=CKV2_AWS_62:Event notifications are added by the consumers that need them (EventBridge rules), not by the bucket module.
  # checkov:skip=CKV_AWS_18:Access logging is an input (access_log_bucket_name); the log bucket is owned by the platform, not by each project.
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_notification" "this" {
  count = var.enable_eventbridge_notifications ? 1 : 0

  bucket      = aws_s3_bucket.this.id
  eventbridge = true
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_log_bucket_name == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket_name
  target_prefix = var.access_log_prefix
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = length(var.lifecycle_rules) > 0 ? 1 : 0

  bucket                                 = aws_s3_bucket.this.id
  transition_default_minimum_object_size = "all_storage_classes_128K"

  dynamic "rule" {
    for_each = var.lifecycle_rules
    content {
      id     = rule.key
      status = "Enabled"

      filter {
        # An empty filter applies the rule to every object; an empty prefix would do the same but reads
        # back differently, which makes the provider wait for a configuration it already has.
        prefix = rule.value.prefix == "" ? null : rule.value.prefix
      }

      dynamic "noncurrent_version_expiration" {
        for_each = rule.value.noncurrent_version_expiration_days == null ? [] : [1]
        content {
          noncurrent_days           = rule.value.noncurrent_version_expiration_days
          newer_noncurrent_versions = rule.value.newer_noncurrent_versions
        }
      }

      dynamic "abort_incomplete_multipart_upload" {
        for_each = rule.value.abort_incomplete_multipart_upload_days == null ? [] : [1]
        content {
          days_after_initiation = rule.value.abort_incomplete_multipart_upload_days
        }
      }

      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [1]
        content {
          days = rule.value.expiration_days
        }
      }
    }
  }

  # Versioning must be on before noncurrent-version rules mean anything.
  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

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

  # Uploads without an encryption header (the SageMaker SDK without kms_key, `aws s3 cp`, every UploadPart of a
  # multipart upload) get the bucket's default SSE-KMS key. An upload that asks for another algorithm (SSE-S3;
  # SSE-C is rejected by S3 itself) or for SSE-KMS with another key, or with no key id (S3 would then use the AWS
  # managed aws/s3 key), is refused. Negated operators match when a key is absent (with or without IfExists),
  # so each Deny is guarded by Null = false: it applies only when the request carries the header.
  statement {
    sid       = "DenyOtherEncryptionAlgorithms"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms", "aws:kms:dsse"]
    }
  }

  statement {
    sid       = "DenyOtherKmsKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [var.kms_key_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.read_account_ids) > 0 ? [1] : []
    content {
      sid       = "CrossAccountRead"
      actions   = ["s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]
      resources = [local.bucket_arn, "${local.bucket_arn}/*"]

      principals {
        type        = "AWS"
        identifiers = [for id in sort(var.read_account_ids) : "arn:${local.partition}:iam::${id}:root"]
      }
    }
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = concat([data.aws_iam_policy_document.this.json], var.policy_documents)
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.merged.json

  # A policy put before the public access block is in place may be judged public and refused.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
