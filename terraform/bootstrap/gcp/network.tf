# The fleet's VPC (optional, create_network). Two subnets, both with Private Google Access:
# - "<network>-hubs" for the hub clusters (terraform/gcp createCluster: true), with the secondary
#   ranges "pods" and "services". No NAT here: terraform/gcp adds a Cloud NAT for exactly this
#   subnet when it creates a cluster (decision 0027), and a subnet range can be served by one NAT
#   gateway only (Cloud NAT docs, "NAT rules and subnet ranges"), so a NAT made here would conflict.
# - "<network>-runners" for the runner cluster, with its own ranges and its own Cloud NAT: runner
#   pods fetch actions, images and providers from the internet.
locals {
  hubs_subnet    = "${var.network}-hubs"
  runners_subnet = "${var.network}-runners"
}

resource "google_compute_network" "fleet" {
  count = var.create_network ? 1 : 0

  project                 = var.project
  name                    = var.network
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.api]
}

resource "google_compute_subnetwork" "hubs" {
  count = var.create_network ? 1 : 0

  project                  = var.project
  name                     = local.hubs_subnet
  region                   = var.region
  network                  = google_compute_network.fleet[0].id
  ip_cidr_range            = var.ip_ranges.hubs_nodes
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = var.ip_ranges.hubs_pods
  }
  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = var.ip_ranges.hubs_services
  }
}

resource "google_compute_subnetwork" "runners" {
  count = var.create_network ? 1 : 0

  project                  = var.project
  name                     = local.runners_subnet
  region                   = var.region
  network                  = google_compute_network.fleet[0].id
  ip_cidr_range            = var.ip_ranges.runners_nodes
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "runner-pods"
    ip_cidr_range = var.ip_ranges.runners_pods
  }
  secondary_ip_range {
    range_name    = "runner-services"
    ip_cidr_range = var.ip_ranges.runners_services
  }
}

resource "google_compute_router" "runners" {
  count = var.create_network ? 1 : 0

  project = var.project
  name    = "${var.network}-runners"
  region  = var.region
  network = google_compute_network.fleet[0].id
}

resource "google_compute_router_nat" "runners" {
  count = var.create_network ? 1 : 0

  project                            = var.project
  name                               = "${var.network}-runners"
  router                             = google_compute_router.runners[0].name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.runners[0].self_link
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
