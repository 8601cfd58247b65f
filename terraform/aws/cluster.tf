# The EKS cluster is not managed here: its OIDC issuer is looked up by name, and the IRSA roles
# trust the IAM OIDC provider registered for that issuer.

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

locals {
  oidc_issuer = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
  # The issuer without its scheme prefixes the condition keys of the trust policy.
  oidc_issuer_host = trimprefix(local.oidc_issuer, "https://")
}

data "aws_iam_openid_connect_provider" "cluster" {
  url = local.oidc_issuer
}

data "aws_route53_zone" "hubs" {
  zone_id = var.hosted_zone_id

  lifecycle {
    # validate checks hub domains against cluster.yaml dnsDomain before any plan; this makes sure
    # that name is the zone's.
    postcondition {
      condition     = var.dns_domain == null || trimsuffix(self.name, ".") == lower(trimsuffix(coalesce(var.dns_domain, "-"), "."))
      error_message = "cluster.yaml dnsDomain ${coalesce(var.dns_domain, "-")} is not the name of Route 53 zone ${var.hosted_zone_id} (${self.name}); set dnsDomain to ${trimsuffix(self.name, ".")}."
    }
    postcondition {
      condition     = alltrue([for h in var.hubs : h.domain == trimsuffix(self.name, ".") || endswith(h.domain, ".${trimsuffix(self.name, ".")}")])
      error_message = "Every hub domain must lie inside Route 53 zone ${var.hosted_zone_id} (${self.name}); these do not: ${join(", ", [for h in var.hubs : h.domain if !(h.domain == trimsuffix(self.name, ".") || endswith(h.domain, ".${trimsuffix(self.name, ".")}"))])}."
    }
  }
}
