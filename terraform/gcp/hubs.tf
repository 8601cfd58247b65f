# Per hub: the address and DNS name its Ingress uses, and the Google service account its user pods
# run as through Workload Identity.

data "google_dns_managed_zone" "hubs" {
  project = var.project
  name    = var.dns_zone

  lifecycle {
    # validate checks hub domains against cluster.yaml dnsDomain before any plan; this makes sure
    # that name is the zone's (dns_name is the API's ManagedZone.DnsName, with its trailing dot:
    # terraform-provider-google google/services/dns/data_source_dns_managed_zone.go,
    # dataSourceDnsManagedZoneRead).
    postcondition {
      condition     = var.dns_domain == null || lower(self.dns_name) == "${lower(trimsuffix(coalesce(var.dns_domain, "-"), "."))}."
      error_message = "cluster.yaml dnsDomain ${coalesce(var.dns_domain, "-")} is not the DNS name of Cloud DNS zone ${var.dns_zone} (${self.dns_name}); set dnsDomain to ${trimsuffix(self.dns_name, ".")}."
    }
    postcondition {
      condition     = alltrue([for h in var.hubs : "${h.domain}." == self.dns_name || endswith("${h.domain}.", ".${self.dns_name}")])
      error_message = "Every hub domain must lie inside Cloud DNS zone ${var.dns_zone} (${self.dns_name}); these do not: ${join(", ", [for h in var.hubs : h.domain if !("${h.domain}." == self.dns_name || endswith("${h.domain}.", ".${self.dns_name}"))])}."
    }
  }
}

resource "google_compute_global_address" "hub" {
  for_each = var.hubs

  project      = var.project
  name         = each.value.static_ip_name
  description  = "hubfleet ${var.hubfleet_cluster}/${each.key}: ${each.value.domain}"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"

  labels = {
    hubfleet-hub   = each.key
    hubfleet-stage = each.value.stage
  }
}

resource "google_dns_record_set" "hub" {
  for_each = var.hubs

  project      = var.project
  managed_zone = data.google_dns_managed_zone.hubs.name
  name         = "${each.value.domain}."
  type         = "A"
  # Short, so a recreated address is picked up before a managed certificate retries validation.
  ttl     = 300
  rrdatas = [google_compute_global_address.hub[each.key].address]
}

resource "google_service_account" "hub" {
  for_each = var.hubs

  project      = var.project
  account_id   = each.value.gcp_service_account_id
  display_name = "hubfleet ${var.hubfleet_cluster}/${each.key}"
  description  = "Identity of the user pods of hub ${each.key} (${each.value.domain}), through Workload Identity."
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = var.hubs

  service_account_id = google_service_account.hub[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = each.value.workload_identity_member

  # The pool <project>.svc.id.goog exists only once a cluster with Workload Identity does: on the
  # first apply in a fresh project this binding fails with "Error 400: Identity Pool does not
  # exist" unless it waits for the cluster (terraform-google-kubernetes-engine#916). An adopted
  # cluster already has the pool (its data source checks that).
  depends_on = [google_container_cluster.this]

  lifecycle {
    # The member is rendered by hubfleet; a different one would hand the identity to another KSA.
    precondition {
      condition     = each.value.workload_identity_member == "serviceAccount:${local.workload_pool}[${each.value.namespace}/${each.value.ksa_name}]"
      error_message = "Hub ${each.key}: workload_identity_member must be serviceAccount:${local.workload_pool}[${each.value.namespace}/${each.value.ksa_name}]."
    }
  }
}

# Lets a hub's identity bill reads of requester-pays buckets (public datasets) to this project.
# One role per cluster; it exists even while no hub uses it, because a deleted custom role ID stays
# reserved for 37 days.
locals {
  # Role IDs allow [a-zA-Z0-9_.] and at most 64 characters; a long cluster name is hashed instead.
  requester_pays_role_id = (
    length(var.hubfleet_cluster) <= 40
    ? "hubfleet_${replace(var.hubfleet_cluster, "-", "_")}_requester_pays"
    : "hubfleet_${substr(sha256(var.hubfleet_cluster), 0, 16)}_requester_pays"
  )
}

resource "google_project_iam_custom_role" "requester_pays" {
  project     = var.project
  role_id     = local.requester_pays_role_id
  title       = "hubfleet ${var.hubfleet_cluster} requester pays"
  description = "Bill requester-pays bucket access to this project (hubfleet cluster ${var.hubfleet_cluster})."
  permissions = ["serviceusage.services.use"]
  stage       = "GA"
}

resource "google_project_iam_member" "requester_pays" {
  for_each = { for name, hub in var.hubs : name => hub if hub.requester_pays }

  project = var.project
  role    = google_project_iam_custom_role.requester_pays.id
  member  = "serviceAccount:${google_service_account.hub[each.key].email}"
}
