# Google APIs only through restricted.googleapis.com (cluster.yaml gcp.restrictedGoogleApis), and
# the project's membership in a VPC Service Controls perimeter (gcp.vpcServiceControls).
#
# The restricted VIP 199.36.153.4/30 serves only the APIs that VPC Service Controls protects, so a
# node or pod cannot use an unprotected API as a way out of the perimeter. Google's recipe
# (cloud.google.com/vpc-service-controls/docs/set-up-private-connectivity and …/set-up-gke): private
# Cloud DNS zones bound to the VPC, in which restricted.googleapis.com answers with the four
# addresses and *.googleapis.com is a CNAME to it; for the registries gcr.io and pkg.dev the zone's
# apex answers with the addresses and *.<domain> is a CNAME to the apex; and a route to the VIP
# through the default internet gateway (the traffic stays on Google's network, and a VPC whose
# 0.0.0.0/0 route was removed still reaches the VIP). GKE nodes resolve through the metadata
# server, which answers from the VPC's private zones; pods through kube-dns, which forwards there.
#
# This module adds no egress-deny firewall rule, so the VPC's implied allow-egress rule already lets
# TCP 443 reach the VIP; a VPC whose own rules deny egress needs an allow rule for 199.36.153.4/30
# on tcp:443 (README, "Running inside a VPC Service Controls perimeter"). User pods' egress is the
# NetworkPolicy's business (src/config/user-egress.ts): 199.36.153.4/30 on 443, nothing else outside
# the VPC.

locals {
  restricted_vip_addresses = ["199.36.153.4", "199.36.153.5", "199.36.153.6", "199.36.153.7"]

  # key => the zone's DNS name, the name that answers with the VIP, and the wildcard's CNAME target.
  restricted_zones = var.restricted_google_apis ? {
    googleapis = { dns_name = "googleapis.com.", a_name = "restricted.googleapis.com.", cname_target = "restricted.googleapis.com." }
    gcr        = { dns_name = "gcr.io.", a_name = "gcr.io.", cname_target = "gcr.io." }
    pkg        = { dns_name = "pkg.dev.", a_name = "pkg.dev.", cname_target = "pkg.dev." }
  } : {}

  network_url = "projects/${var.project}/global/networks/${var.network}"
}

resource "google_dns_managed_zone" "restricted" {
  for_each = local.restricted_zones

  project     = var.project
  name        = "${var.cluster_name}-${each.key}-restricted"
  dns_name    = each.value.dns_name
  description = "hubfleet ${var.hubfleet_cluster}: ${trimsuffix(each.value.dns_name, ".")} answers with restricted.googleapis.com (199.36.153.4/30) inside ${var.network}"
  visibility  = "private"

  private_visibility_config {
    networks {
      network_url = local.network_url
    }
  }
}

resource "google_dns_record_set" "restricted_a" {
  for_each = local.restricted_zones

  project      = var.project
  managed_zone = google_dns_managed_zone.restricted[each.key].name
  name         = each.value.a_name
  type         = "A"
  ttl          = 300
  rrdatas      = local.restricted_vip_addresses
}

resource "google_dns_record_set" "restricted_wildcard" {
  for_each = local.restricted_zones

  project      = var.project
  managed_zone = google_dns_managed_zone.restricted[each.key].name
  name         = "*.${each.value.dns_name}"
  type         = "CNAME"
  ttl          = 300
  rrdatas      = [each.value.cname_target]
}

resource "google_compute_route" "restricted_vip" {
  count = var.restricted_google_apis ? 1 : 0

  project          = var.project
  name             = "${var.cluster_name}-restricted-vip"
  description      = "hubfleet ${var.hubfleet_cluster}: restricted.googleapis.com (VPC Service Controls) through Google's network"
  network          = var.network
  dest_range       = "199.36.153.4/30"
  next_hop_gateway = "default-internet-gateway"
}

# The project joins an existing perimeter, only when cluster.yaml says the deployer may manage it
# (roles/accesscontextmanager.policyEditor on the access policy). The perimeter itself stays the
# organisation admin's: if they manage it in Terraform too, their google_access_context_manager_service_perimeter
# needs lifecycle { ignore_changes = [status[0].resources] }, or the two would undo each other
# (the provider's documentation of this resource says the same). Without manageMembership nothing
# here touches the perimeter; `hubfleet doctor` checks the project is in it.
resource "google_access_context_manager_service_perimeter_resource" "project" {
  count = try(var.vpc_service_controls.manage_membership, false) ? 1 : 0

  perimeter_name = var.vpc_service_controls.perimeter
  resource       = "projects/${var.project_number}"
}
