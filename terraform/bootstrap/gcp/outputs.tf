# What cluster.yaml and the fleet repository's settings need, named after the cluster.yaml field
# each fills (snake_case of its path; terraform.backend.bucket → terraform_backend_bucket).
# `terraform output -json` is the documented input of `hubfleet init`; docs/zero-to-a-first-hub.md
# lists every output. null: this module did not create the thing (a variable switched it off).

output "project" {
  description = "cluster.yaml gcp.project: the project ID."
  value       = var.project
}

output "project_number" {
  description = "cluster.yaml gcp.projectNumber: the project number, as a string."
  value       = tostring(data.google_project.this.number)
}

output "region" {
  description = "cluster.yaml gcp.region: region of the network and the runner cluster."
  value       = var.region
}

output "network" {
  description = "cluster.yaml gcp.network: the VPC name; null when create_network = false."
  value       = var.create_network ? google_compute_network.fleet[0].name : null
}

output "subnetwork" {
  description = "cluster.yaml gcp.subnetwork: the hub clusters' subnet (Private Google Access on); null when create_network = false."
  value       = var.create_network ? google_compute_subnetwork.hubs[0].name : null
}

output "pods_range_name" {
  description = "cluster.yaml gcp.podsRangeName: the hub subnet's secondary range for pods; null when create_network = false."
  value       = var.create_network ? "pods" : null
}

output "services_range_name" {
  description = "cluster.yaml gcp.servicesRangeName: the hub subnet's secondary range for services; null when create_network = false."
  value       = var.create_network ? "services" : null
}

output "master_ipv4_cidr_block" {
  description = "cluster.yaml gcp.masterIpv4CidrBlock: the /28 kept free for the first hub cluster's control plane; null when create_network = false."
  value       = var.create_network ? var.ip_ranges.hubs_master : null
}

output "master_authorized_networks" {
  description = "cluster.yaml gcp.masterAuthorizedNetworks (camelCase keys, as written there): the runner cluster's node and pod ranges, from which the in-VPC runners reach a hub cluster's private control plane; [] without a runner cluster."
  value = var.runner_cluster == null ? [] : [
    { cidrBlock = var.ip_ranges.runners_nodes, displayName = "hubfleet runner nodes" },
    { cidrBlock = var.ip_ranges.runners_pods, displayName = "hubfleet runner pods" },
  ]
}

output "dns_zone" {
  description = "cluster.yaml gcp.dnsZone: the Cloud DNS managed zone name; null when dns_zone was not set."
  value       = var.dns_zone == null ? null : google_dns_managed_zone.hubs[0].name
}

output "dns_domain" {
  description = "cluster.yaml dnsDomain: the zone's DNS name without the trailing dot; null when dns_zone was not set."
  value       = var.dns_domain
}

output "dns_name_servers" {
  description = "Not a cluster.yaml field: the NS records to delegate dns_domain to at the registrar (manual step); [] when dns_zone was not set."
  value       = var.dns_zone == null ? [] : google_dns_managed_zone.hubs[0].name_servers
}

output "workload_identity_provider" {
  description = "cluster.yaml gcp.workloadIdentityProvider: projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "deployer_service_account" {
  description = "cluster.yaml gcp.deployerServiceAccount: the applier's email."
  value       = google_service_account.deployer.email
}

output "iap_prober_service_account" {
  description = "cluster.yaml gcp.iapProberServiceAccount and the repository secret HUBFLEET_IAP_PROBER: the service account whose ID token must get through IAP."
  value       = google_service_account.iap_prober.email
}

output "iap_unauthorized_service_account" {
  description = "Repository secret HUBFLEET_IAP_UNAUTHORIZED: the service account with no IAP role, whose ID token must get 403."
  value       = google_service_account.iap_unauthorized.email
}

output "terraform_backend_bucket" {
  description = "cluster.yaml terraform.backend.bucket: the state bucket (versioned, uniform access, public access prevention enforced); terraform.backend.prefix stays clusters/<cluster>."
  value       = google_storage_bucket.state.name
}

output "runner_cluster" {
  description = "Not a cluster.yaml field: where ARC and the runner scale sets go, {name, location, dns_endpoint}; install them once with gcloud container clusters get-credentials <name> --location <location> --dns-endpoint. null when runner_cluster = null."
  value = var.runner_cluster == null ? null : {
    name         = google_container_cluster.runners[0].name
    location     = google_container_cluster.runners[0].location
    dns_endpoint = google_container_cluster.runners[0].control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint
  }
}

output "github_repository" {
  description = "Fleet repository settings: the only repository the Workload Identity provider accepts, <owner>/<repo>."
  value       = var.github_repository
}

output "github_environments" {
  description = "Fleet repository settings: the Environments to create, each allowing only main: <cluster>-apply, <cluster>-staging, <cluster>-prod for every cluster in var.clusters."
  value       = flatten([for c in var.clusters : ["${c}-apply", "${c}-staging", "${c}-prod"]])
}

output "github_oidc_subject_claim_keys" {
  description = "Fleet repository settings: the OIDC subject template the applier's trust is written for (PUT /repos/<owner>/<repo>/actions/oidc/customization/sub with include_claim_keys)."
  value       = ["repo", "context", "ref"]
}
