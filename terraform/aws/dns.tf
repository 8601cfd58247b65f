# DNS of EKS hubs: external-dns, not Terraform. A hub's ALB is created by the AWS Load Balancer
# Controller only when deploy-hub applies its Ingress, after this state's apply; an alias record
# here could only follow on a later apply, leaving a new hub without a name for its first smoke
# test. external-dns (source: ingress) writes the alias A record for each Ingress host to the ALB
# as soon as the controller publishes its address (docs/decisions/0028-eks-hub-dns-and-tls.md).
#
# This state owns external-dns's identity: an IRSA role that may change records in the hubs' zone
# only. Installing external-dns (service account external-dns/external-dns, --provider=aws,
# --source=ingress, --domain-filter=<zone>, --txt-owner-id=<cluster>) is a cluster prerequisite.

locals {
  external_dns_subject = "system:serviceaccount:external-dns:external-dns"
}

resource "aws_iam_role" "external_dns" {
  name                 = "hubfleet-${substr(var.hubfleet_cluster, 0, 40)}-external-dns"
  description          = "hubfleet ${var.hubfleet_cluster}: external-dns writes the hubs' alias records in ${var.hosted_zone_id} (IRSA)"
  max_session_duration = 3600

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = data.aws_iam_openid_connect_provider.cluster.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_issuer_host}:sub" = local.external_dns_subject
          "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "external_dns" {
  name = "hubfleet-external-dns"
  role = aws_iam_role.external_dns.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ChangeHubRecords"
        Effect   = "Allow"
        Action   = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"]
        Resource = [data.aws_route53_zone.hubs.arn]
      },
      {
        # external-dns lists zones to find the one for each host; the list cannot be narrowed.
        Sid      = "FindZones"
        Effect   = "Allow"
        Action   = ["route53:ListHostedZones"]
        Resource = ["*"]
      },
    ]
  })
}
