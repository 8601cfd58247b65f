# Per hub: S3 scratch buckets, private (public access blocked, ACLs off, encrypted) with objects
# expiring after delete_after_days.

locals {
  # "<hub>/<bucket key>" → bucket; the key stays stable when a bucket's settings change.
  buckets = merge([
    for hub_name, hub in var.hubs : {
      for key, bucket in hub.buckets : "${hub_name}/${key}" => merge(bucket, { hub = hub_name })
    }
  ]...)

  bucket_key_by_name = { for key, bucket in local.buckets : bucket.bucket_name => key }
  expiring_buckets   = { for key, bucket in local.buckets : key => bucket if bucket.delete_after_days != null }
}

resource "aws_s3_bucket" "hub" {
  for_each = local.buckets

  bucket = each.value.bucket_name
  # Scratch data is deleted by the lifecycle rule, never by a Terraform destroy.
  force_destroy = false

  tags = {
    "hubfleet.dev/hub"   = each.value.hub
    "hubfleet.dev/stage" = var.hubs[each.value.hub].stage
  }
}

resource "aws_s3_bucket_public_access_block" "hub" {
  for_each = local.buckets

  bucket                  = aws_s3_bucket.hub[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "hub" {
  for_each = local.buckets

  bucket = aws_s3_bucket.hub[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "hub" {
  for_each = local.buckets

  bucket = aws_s3_bucket.hub[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "hub" {
  for_each = local.expiring_buckets

  bucket = aws_s3_bucket.hub[each.key].id

  rule {
    id     = "hubfleet-expire"
    status = "Enabled"

    # Every object in the bucket.
    filter {}

    expiration {
      days = each.value.delete_after_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}
