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
    postcondition {
      condition     = alltrue([for h in var.hubs : h.domain == trimsuffix(self.name, ".") || endswith(h.domain, ".${trimsuffix(self.name, ".")}")])
      error_message = "Every hub domain must lie inside Route 53 zone ${var.hosted_zone_id} (${self.name}); these do not: ${join(", ", [for h in var.hubs : h.domain if !(h.domain == trimsuffix(self.name, ".") || endswith(h.domain, ".${trimsuffix(self.name, ".")}"))])}."
    }
  }
}
