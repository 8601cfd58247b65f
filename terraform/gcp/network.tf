# The network around a created cluster: its subnet (checked, not created), node egress through
# Cloud NAT, and the one firewall opening the control plane needs beyond GKE's own rules.

# The cluster's subnet, when cluster.yaml names it (required for a created cluster). Private nodes
# and pods have no external address; without Private Google Access they cannot reach Google APIs
# (Artifact Registry, Cloud Storage, the token service behind Workload Identity).
data "google_compute_subnetwork" "cluster" {
  count = var.subnetwork == null ? 0 : 1

  project = var.project
  name    = var.subnetwork
  region  = var.region

  lifecycle {
    postcondition {
      condition     = self.private_ip_google_access
      error_message = "Subnetwork ${var.subnetwork} (${var.region}) has Private Google Access off; private nodes cannot reach Google APIs without it. Turn it on (gcloud compute networks subnets update ${var.subnetwork} --region=${var.region} --enable-private-ip-google-access) and re-plan."
    }

    postcondition {
      condition     = reverse(split("/", self.network))[0] == var.network
      error_message = "Subnetwork ${var.subnetwork} is not in network ${var.network} (cluster.yaml gcp.network)."
    }

    postcondition {
      condition = alltrue([
        for name in compact([var.cluster_secondary_range_name, var.services_secondary_range_name]) :
        contains([for r in self.secondary_ip_range : r.range_name], name)
      ])
      error_message = "Subnetwork ${var.subnetwork} lacks a secondary range named in cluster.yaml (podsRangeName ${coalesce(var.cluster_secondary_range_name, "-")}, servicesRangeName ${coalesce(var.services_secondary_range_name, "-")}); it has: ${join(", ", [for r in self.secondary_ip_range : r.range_name])}."
    }
  }
}

locals {
  subnet = one(data.google_compute_subnetwork.cluster)
  # Where the in-VPC runners run: VMs in the cluster's subnet, or ARC runner pods in its pod range.
  runner_networks = local.subnet == null ? [] : concat(
    [{ cidr_block = local.subnet.ip_cidr_range, display_name = "subnet ${var.subnetwork} (nodes, runner VMs)" }],
    [
      for r in local.subnet.secondary_ip_range : { cidr_block = r.ip_cidr_range, display_name = "pods of ${var.cluster_name} (ARC runner pods)" }
      if r.range_name == var.cluster_secondary_range_name
    ],
  )
  master_authorized_networks = concat(local.runner_networks, var.master_authorized_networks)
}

# Private nodes have no external address: without NAT they cannot pull public images (Docker Hub,
# quay.io: the z2jh and dask images). One router and NAT gateway for the cluster's subnet only,
# addresses allocated by Google. Cost: a NAT gateway is billed per hour and per GB processed.
resource "google_compute_router" "nat" {
  count = var.create_cluster ? 1 : 0

  project     = var.project
  name        = "${var.cluster_name}-nat"
  description = "hubfleet ${var.hubfleet_cluster}: Cloud NAT for the private nodes of ${var.cluster_name}"
  region      = var.region
  network     = var.network
}

resource "google_compute_router_nat" "nodes" {
  count = var.create_cluster ? 1 : 0

  project                            = var.project
  name                               = "${var.cluster_name}-nat"
  router                             = google_compute_router.nat[0].name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  # Nodes (primary range) and pods (secondary ranges): both pull images and call out.
  subnetwork {
    name                    = local.subnet.self_link
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# GKE opens only TCP 443 and 10250 from the control plane's /28 to the nodes of a private cluster
# (its gke-<cluster>-<hash>-master rule). deploy-hub's rollout check asks the API server's service
# proxy for /api/v1/namespaces/<ns>/services/proxy-public:http/proxy/hub/health
# (src/deploy/deploy-hub.ts hubHealthPath), which the API server sends to a CHP pod on its target
# port 8000 (src/render/names.ts PROXY_CONTAINER_PORT); CHP itself forwards to the hub pod inside
# the cluster. So exactly tcp:8000, from the control plane, to this cluster's nodes (pod IPs are
# alias ranges of the nodes, so the node tag covers them).
resource "google_compute_firewall" "control_plane_to_proxy" {
  count = var.create_cluster ? 1 : 0

  project       = var.project
  name          = "${var.cluster_name}-master-to-chp"
  description   = "hubfleet ${var.hubfleet_cluster}: the control plane reaches CHP (tcp:8000) for deploy-hub's rollout check through the API server's service proxy"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = [var.master_ipv4_cidr_block]
  target_tags   = [local.node_tag]

  allow {
    protocol = "tcp"
    ports    = ["8000"]
  }
}
