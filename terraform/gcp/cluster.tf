# The cluster: created here as a private GKE cluster (create_cluster = true), or an existing
# cluster adopted by name. Adoption only reads the cluster, so destroying this state never takes a
# cluster down, and checks at plan time that the hubs' Workload Identity bindings can work.

locals {
  # A zonal cluster lives in its zone, a regional one in the region.
  cluster_location = coalesce(var.zone, var.region)
  workload_pool    = "${var.project}.svc.id.goog"
}

resource "google_container_cluster" "this" {
  count = var.create_cluster ? 1 : 0

  project    = var.project
  name       = var.cluster_name
  location   = local.cluster_location
  network    = var.network
  subnetwork = var.subnetwork

  # Nodes come from the managed pool below, so the default pool is removed after creation.
  remove_default_node_pool = true
  initial_node_count       = 1

  networking_mode       = "VPC_NATIVE"
  datapath_provider     = "ADVANCED_DATAPATH" # Dataplane V2: eBPF, network policy built in
  enable_shielded_nodes = true
  deletion_protection   = true

  ip_allocation_policy {}

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = var.private_endpoint
    master_ipv4_cidr_block  = var.master_ipv4_cidr_block
  }

  # Present even when empty: only the cluster's subnet (the in-VPC runners) and the listed CIDRs
  # reach the control plane.
  master_authorized_networks_config {
    dynamic "cidr_blocks" {
      for_each = var.master_authorized_networks
      content {
        cidr_block   = cidr_blocks.value.cidr_block
        display_name = cidr_blocks.value.display_name
      }
    }
  }

  workload_identity_config {
    workload_pool = local.workload_pool
  }

  release_channel {
    channel = var.release_channel
  }
}

resource "google_container_node_pool" "core" {
  count = var.create_cluster ? 1 : 0

  project  = var.project
  name     = "core"
  cluster  = google_container_cluster.this[0].name
  location = local.cluster_location

  autoscaling {
    min_node_count = var.node_pool.min_node_count
    max_node_count = var.node_pool.max_node_count
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.node_pool.machine_type
    service_account = var.node_pool.service_account
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }

    # Pods see the GKE metadata server, which hands out the Workload Identity of their KSA and
    # hides the node's own credentials.
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

data "google_container_cluster" "adopted" {
  count = var.create_cluster ? 0 : 1

  project  = var.project
  name     = var.cluster_name
  location = local.cluster_location

  lifecycle {
    postcondition {
      condition     = try(self.workload_identity_config[0].workload_pool, "") == local.workload_pool
      error_message = "GKE cluster ${var.cluster_name} in ${local.cluster_location} does not have Workload Identity enabled with pool ${local.workload_pool}; the hubs' service accounts cannot work without it. Enable it on the cluster (gcloud container clusters update --workload-pool=${local.workload_pool}) and re-plan."
    }
  }
}

# cluster.yaml's projectNumber is the audience prefix every hub's IAP authenticator checks; a wrong
# one locks every user out, so the plan stops here instead.
data "google_project" "this" {
  project_id = var.project

  lifecycle {
    postcondition {
      condition     = self.number == var.project_number
      error_message = "Project ${var.project} has number ${self.number}, but cluster.yaml says projectNumber ${var.project_number}; fix gcp.projectNumber."
    }
  }
}

# Warnings, not errors: an adopted cluster that is not private still works, but it is not the
# cluster hubfleet promises.
check "adopted_cluster_is_private" {
  assert {
    condition     = var.create_cluster || try(data.google_container_cluster.adopted[0].private_cluster_config[0].enable_private_nodes, false)
    error_message = "Adopted GKE cluster ${var.cluster_name} does not use private nodes."
  }

  assert {
    condition     = var.create_cluster || try(data.google_container_cluster.adopted[0].private_cluster_config[0].enable_private_endpoint, false) == var.private_endpoint
    error_message = "Adopted GKE cluster ${var.cluster_name}: private endpoint differs from privateEndpoint in cluster.yaml (${var.private_endpoint})."
  }

  assert {
    condition     = var.create_cluster || reverse(split("/", try(data.google_container_cluster.adopted[0].network, "")))[0] == var.network
    error_message = "Adopted GKE cluster ${var.cluster_name} is not in network ${var.network} (cluster.yaml gcp.network)."
  }

  assert {
    condition     = var.create_cluster || try(data.google_container_cluster.adopted[0].datapath_provider, "") == "ADVANCED_DATAPATH"
    error_message = "Adopted GKE cluster ${var.cluster_name} does not use Dataplane V2 (ADVANCED_DATAPATH)."
  }
}
