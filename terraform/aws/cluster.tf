# The EKS cluster is not managed here: its OIDC issuer is looked up by name, and the IRSA roles
# trust the IAM OIDC provider registered for that issuer.

data "aws_eks_cluster" "this" {
  name = var.cluster_name

  lifecycle {
    # deploy-hub reaches the cluster as the deployer role through an EKS access entry, which exists
    # only in these modes (CONFIG_MAP alone means the aws-auth ConfigMap).
    postcondition {
      condition     = contains(["API", "API_AND_CONFIG_MAP"], try(self.access_config[0].authentication_mode, ""))
      error_message = "EKS cluster ${var.cluster_name} uses authentication mode ${try(self.access_config[0].authentication_mode, "unknown")}; hubfleet's deployer needs an access entry, so set it to API_AND_CONFIG_MAP or API (aws eks update-cluster-config --name ${var.cluster_name} --access-config authenticationMode=API_AND_CONFIG_MAP) and re-plan."
    }
  }
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

# The AWS Load Balancer Controller puts an internet-facing ALB in the public subnets it discovers by
# the tag kubernetes.io/role/elb (https://kubernetes-sigs.github.io/aws-load-balancer-controller/,
# "Subnet auto-discovery"); with none, every hub's Ingress stays without an address.
data "aws_subnets" "public_elb" {
  filter {
    name   = "vpc-id"
    values = [data.aws_eks_cluster.this.vpc_config[0].vpc_id]
  }

  tags = {
    "kubernetes.io/role/elb" = "1"
  }

  lifecycle {
    postcondition {
      condition     = length(self.ids) >= 2
      error_message = "VPC ${data.aws_eks_cluster.this.vpc_config[0].vpc_id} of EKS cluster ${var.cluster_name} has ${length(self.ids)} subnets tagged kubernetes.io/role/elb=1; an internet-facing ALB needs public subnets in at least two Availability Zones with that tag. Tag them and re-plan."
    }
  }
}

# A warning, not an error: Terraform itself does not need the access entry, and the read-only
# planner may not be allowed to read it. Without one, deploy-hub cannot reach the cluster.
check "deployer_access_entry" {
  data "aws_eks_access_entry" "deployer" {
    cluster_name  = var.cluster_name
    principal_arn = var.deployer_role_arn
  }

  assert {
    condition     = data.aws_eks_access_entry.deployer.type == "STANDARD"
    error_message = "EKS cluster ${var.cluster_name} has no STANDARD access entry for the deployer role ${var.deployer_role_arn} (cluster.yaml aws.roleArn); deploy-hub cannot reach the cluster. Create it (aws eks create-access-entry --cluster-name ${var.cluster_name} --principal-arn ${var.deployer_role_arn}) and associate an access policy that may manage the hubs' namespaces (aws eks associate-access-policy ... --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster)."
  }
}

# Warnings, as for an adopted GKE cluster: hubfleet adopts the EKS cluster and does not manage its
# endpoint, but the private control plane it promises needs private endpoint access (the in-VPC
# runners use it) and no public endpoint open to every address. EKS's two switches are
# independent: public access CIDRs govern only the public endpoint (docs/decisions/0055).
check "control_plane_endpoint" {
  assert {
    condition     = data.aws_eks_cluster.this.vpc_config[0].endpoint_private_access
    error_message = "EKS cluster ${var.cluster_name} has private endpoint access off; the in-VPC runners reach the API server through the public endpoint. Turn it on (aws eks update-cluster-config --name ${var.cluster_name} --resources-vpc-config endpointPrivateAccess=true)."
  }

  assert {
    condition     = !data.aws_eks_cluster.this.vpc_config[0].endpoint_public_access || !contains(coalesce(data.aws_eks_cluster.this.vpc_config[0].public_access_cidrs, []), "0.0.0.0/0")
    error_message = "EKS cluster ${var.cluster_name} has a public endpoint open to 0.0.0.0/0. Turn public access off, or limit it (aws eks update-cluster-config --name ${var.cluster_name} --resources-vpc-config endpointPublicAccess=false)."
  }
}
