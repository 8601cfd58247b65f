# The cluster: created here as a private GKE cluster (create_cluster = true), or an existing
# cluster adopted by name. Adoption only reads the cluster, so destroying this state never takes a
# cluster down, and checks at plan time that the hubs' Workload Identity bindings can work.

locals {
  # A zonal cluster lives in its zone, a regional one in the region.
  cluster_location = coalesce(var.zone, var.region)
  workload_pool    = "${var.project}.svc.id.goog"
  # Network tag of a created cluster's nodes: the target of the control-plane firewall rule
  # (network.tf). GKE's own node tag carries a hash that is unknown before the cluster exists.
  node_tag = "hubfleet-${var.cluster_name}-node"
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

  # Named secondary ranges of the subnet for pods and services; null: GKE creates them.
  ip_allocation_policy {
    cluster_secondary_range_name  = var.cluster_secondary_range_name
    services_secondary_range_name = var.services_secondary_range_name
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = var.private_endpoint
    master_ipv4_cidr_block  = var.master_ipv4_cidr_block

    # The private endpoint answers clients in every region of the VPC (runners, bastions), not only
    # the cluster's own; master authorized networks still decide who gets in.
    master_global_access_config {
      enabled = true
    }
  }

  # Only the cluster's subnet and pod range (where the in-VPC runners run: ARC pods, runner VMs)
  # and the CIDRs listed in cluster.yaml reach the control plane (network.tf).
  master_authorized_networks_config {
    dynamic "cidr_blocks" {
      for_each = local.master_authorized_networks
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

  # Nodes register, log and pull images as the node service account: its roles come first.
  depends_on = [google_project_iam_member.nodes]

  node_config {
    machine_type = var.node_pool.machine_type
    disk_size_gb = var.node_pool.disk_size_gb
    # The dedicated node identity (nodes.tf), never the Compute Engine default service account
    # (Editor on the project). The scope is broad; the service account's roles are what limit it.
    service_account = google_service_account.nodes[0].email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    tags            = [local.node_tag]

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

    # Without the GKE metadata server a pool's pods read the node's own credentials from the
    # Compute metadata server instead of their hub's Workload Identity. (Autopilot always runs it.)
    postcondition {
      condition     = self.enable_autopilot == true || alltrue([for p in self.node_pool : try(p.node_config[0].workload_metadata_config[0].mode, "") == "GKE_METADATA"])
      error_message = "GKE cluster ${var.cluster_name}: node pools ${join(", ", [for p in self.node_pool : p.name if try(p.node_config[0].workload_metadata_config[0].mode, "") != "GKE_METADATA"])} do not use the GKE metadata server, so pods there would act as the node's service account. Set it on each (gcloud container node-pools update POOL --cluster=${var.cluster_name} --location=${local.cluster_location} --workload-metadata=GKE_METADATA) and re-plan."
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
