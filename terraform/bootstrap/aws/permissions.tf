# What each role may do. The planner reads what terraform/aws refreshes plus the state; the
# applier manages what terraform/aws manages (names all start with "hubfleet-": src/render/names.ts
# for IRSA roles and buckets, terraform/aws/dns.tf for external-dns) and writes the state.
locals {
  state_arn   = aws_s3_bucket.state.arn
  zone_arn    = local.zone_id == null ? "arn:${local.partition}:route53:::hostedzone/*" : "arn:${local.partition}:route53:::hostedzone/${local.zone_id}"
  iam_prefix  = "arn:${local.partition}:iam::${var.account}:role/hubfleet-*"
  hub_buckets = "arn:${local.partition}:s3:::hubfleet-*"
  # The read calls of a refresh: the aws provider's S3 bucket read (GetBucket* and the
  # configuration getters), IAM roles and their policies, ACM, Route 53, EKS and the subnets check.
  read_actions = [
    "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
    "iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviders",
    "s3:ListAllMyBuckets", "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration",
    "acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
    "route53:GetHostedZone", "route53:ListHostedZones", "route53:ListHostedZonesByName",
    "route53:ListResourceRecordSets", "route53:GetChange", "route53:ListTagsForResource",
    "eks:DescribeCluster", "eks:ListAccessEntries", "eks:DescribeAccessEntry",
    "ec2:DescribeSubnets", "ec2:DescribeVpcs",
  ]
}

resource "aws_iam_role_policy" "planner" {
  name = "hubfleet-planner"
  role = aws_iam_role.planner.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Refresh", Effect = "Allow", Action = local.read_actions, Resource = "*" },
      { Sid = "StateList", Effect = "Allow", Action = "s3:ListBucket", Resource = local.state_arn },
      { Sid = "StateRead", Effect = "Allow", Action = "s3:GetObject", Resource = "${local.state_arn}/*" },
      # A plan takes the lock: S3 native locking writes and deletes <key>.tflock.
      { Sid = "StateLock", Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject"], Resource = "${local.state_arn}/*.tflock" },
    ]
  })
}

resource "aws_iam_role_policy" "applier" {
  name = "hubfleet-applier"
  role = aws_iam_role.applier.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Refresh", Effect = "Allow", Action = local.read_actions, Resource = "*" },
      { Sid = "State", Effect = "Allow", Action = ["s3:ListBucket"], Resource = local.state_arn },
      { Sid = "StateObjects", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "${local.state_arn}/*" },
      {
        Sid    = "HubRoles"
        Effect = "Allow"
        Action = [
          "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
          "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
          "iam:ListInstanceProfilesForRole",
        ]
        Resource = local.iam_prefix
      },
      {
        # The two roles of this module share the prefix; neither may be changed from a run.
        Sid      = "NotTheFleetRoles"
        Effect   = "Deny"
        Action   = ["iam:*"]
        Resource = [local.applier_arn, local.planner_arn]
      },
      {
        Sid    = "HubBuckets"
        Effect = "Allow"
        Action = [
          "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:PutBucketTagging",
          "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls", "s3:PutEncryptionConfiguration",
          "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
        ]
        Resource = local.hub_buckets
      },
      {
        Sid      = "NotTheStateBucketConfig"
        Effect   = "Deny"
        Action   = ["s3:DeleteBucket", "s3:PutBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"]
        Resource = local.state_arn
      },
      {
        Sid    = "HubCertificates"
        Effect = "Allow"
        Action = [
          "acm:RequestCertificate", "acm:DeleteCertificate", "acm:AddTagsToCertificate",
          "acm:RemoveTagsFromCertificate",
        ]
        Resource = "*"
      },
      { Sid = "HubRecords", Effect = "Allow", Action = ["route53:ChangeResourceRecordSets"], Resource = local.zone_arn },
    ]
  })
}
