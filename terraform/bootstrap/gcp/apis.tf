# Exactly the APIs the chain calls, each with the reason. Enabled once here, never per cluster:
# a project-level switch in every cluster's state would fight between states (decision 0010).
# Serving the Service Usage and Resource Manager calls of this very apply needs those two APIs on
# already: the guide enables them with gcloud before the first apply.
locals {
  apis = {
    # GKE: clusters (terraform/gcp createCluster), their credentials for deploy-hub, the runner cluster.
    "container.googleapis.com" = "GKE clusters"
    # Static IPs, backend services (IAP audience), VPC, subnets, Cloud Router/NAT, firewall rules.
    "compute.googleapis.com" = "load balancer addresses, backend services and the network"
    # The hubs' A records (terraform/gcp google_dns_record_set) and the managed zone.
    "dns.googleapis.com" = "Cloud DNS zone and records"
    # google_iap_web_iam_member per hub, and IAP on the hubs' backend services.
    "iap.googleapis.com" = "Identity-Aware Proxy"
    # Service accounts (applier, probers, per hub) and the Workload Identity pool and provider.
    "iam.googleapis.com" = "service accounts and Workload Identity Federation"
    # generateAccessToken / generateIdToken: google-github-actions/auth impersonating the applier
    # and the IAP probers after the token exchange.
    "iamcredentials.googleapis.com" = "service account impersonation"
    # Security Token Service: exchanges GitHub's OIDC token for a federated token.
    "sts.googleapis.com" = "GitHub OIDC token exchange"
    # Project IAM policy (google_project_iam_member), data.google_project, custom roles.
    "cloudresourcemanager.googleapis.com" = "project IAM"
    # The state bucket and the hubs' buckets.
    "storage.googleapis.com" = "Terraform state and hub buckets"
    # Enabling APIs (this file) and serviceusage.services.use for requester-pays buckets.
    "serviceusage.googleapis.com" = "API enablement and requester-pays billing"
  }
}

resource "google_project_service" "api" {
  for_each = local.apis

  project = var.project
  service = each.key
  # Turning an API off on destroy would break every cluster and state in the project.
  disable_on_destroy         = false
  disable_dependent_services = false
}
