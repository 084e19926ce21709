locals {
  zones = {
    raw        = { retention = 90, tier = "STANDARD_IA" }
    curated    = { retention = 365, tier = "INTELLIGENT_TIERING" }
    features   = { retention = 365, tier = "INTELLIGENT_TIERING" }
    monitoring = { retention = 30, tier = "STANDARD_IA" }
  }
}

resource "aws_s3_bucket" "zone" {
  for_each = local.zones
  bucket   = "acme-ml-${each.key}-${var.environment}"

  tags = {
    Zone = each.key
  }
}

resource "aws_s3_bucket_versioning" "zone" {
  for_each = aws_s3_bucket.zone
  bucket   = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "zone" {
  for_each = aws_s3_bucket.zone
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data[0].arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "zone" {
  for_each                = aws_s3_bucket.zone
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "zone" {
  for_each = aws_s3_bucket.zone
  bucket   = each.value.id

  rule {
    id     = "transition"
    status = "Enabled"

    filter {}

    transition {
      days          = 30
      storage_class = local.zones[each.key].tier
    }

    transition {
      days          = 180
      storage_class = "GLACIER_IR"
    }

    expiration {
      days = local.zones[each.key].retention
    }
  }

  rule {
    id     = "abort-multipart"
    status = "Enabled"

    filter {
      prefix = ""
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}
