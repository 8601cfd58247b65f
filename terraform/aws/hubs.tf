# Per hub: the IAM role its user pods assume through IRSA, and the policies attached to it.

resource "aws_iam_role" "irsa" {
  for_each = var.hubs

  name                 = each.value.irsa_role_name
  description          = "hubfleet ${var.hubfleet_cluster}/${each.key}: user pods of ${each.value.domain} (IRSA)"
  max_session_duration = 3600

  tags = {
    "hubfleet.dev/hub"   = each.key
    "hubfleet.dev/stage" = each.value.stage
  }

  # Only the projected token of this hub's user KSA, issued for STS, may assume the role.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = data.aws_iam_openid_connect_provider.cluster.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_issuer_host}:sub" = each.value.irsa_subject
          "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })

  lifecycle {
    precondition {
      condition     = each.value.irsa_subject == "system:serviceaccount:${each.value.namespace}:${each.value.ksa_name}"
      error_message = "Hub ${each.key}: irsa_subject must be system:serviceaccount:${each.value.namespace}:${each.value.ksa_name}."
    }
  }
}

resource "aws_iam_role_policy" "extra" {
  for_each = { for name, hub in var.hubs : name => hub if hub.extra_iam_policy != null }

  name   = "hubfleet-extra"
  role   = aws_iam_role.irsa[each.key].id
  policy = each.value.extra_iam_policy
}

resource "aws_iam_role_policy" "buckets" {
  for_each = {
    for name, hub in var.hubs : name => hub
    if length(hub.bucket_admin_access) + length(hub.bucket_readonly_access) > 0
  }

  name = "hubfleet-buckets"
  role = aws_iam_role.irsa[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      length(each.value.bucket_admin_access) == 0 ? [] : [
        {
          Sid      = "ListAdminBuckets"
          Effect   = "Allow"
          Action   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
          Resource = [for name in each.value.bucket_admin_access : aws_s3_bucket.hub[local.bucket_key_by_name[name]].arn]
        },
        {
          Sid      = "ReadWriteAdminBuckets"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
          Resource = [for name in each.value.bucket_admin_access : "${aws_s3_bucket.hub[local.bucket_key_by_name[name]].arn}/*"]
        },
      ],
      length(each.value.bucket_readonly_access) == 0 ? [] : [
        {
          Sid      = "ListReadonlyBuckets"
          Effect   = "Allow"
          Action   = ["s3:GetBucketLocation", "s3:ListBucket"]
          Resource = [for name in each.value.bucket_readonly_access : aws_s3_bucket.hub[local.bucket_key_by_name[name]].arn]
        },
        {
          Sid      = "ReadReadonlyBuckets"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = [for name in each.value.bucket_readonly_access : "${aws_s3_bucket.hub[local.bucket_key_by_name[name]].arn}/*"]
        },
      ],
    )
  })
}
