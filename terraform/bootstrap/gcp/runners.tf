# The runners' place: a small private GKE Autopilot cluster in the runner subnet. Every runner
# scale set of the fleet (config/runners/<cluster>.yaml, one per hub cluster, labelled with that
# cluster's runner.labels) runs here, inside the VPC, so the jobs reach the hub clusters' private
# control planes (their master authorized networks include this cluster's ranges: output
# master_authorized_networks → cluster.yaml gcp.masterAuthorizedNetworks).
#
# Why a cluster of its own rather than the first hub cluster: the hub cluster is created by the
# chain itself (terraform/gcp, createCluster: true), which needs runners first; with the runners
# here, only this cluster has the day-zero circle, and it is broken once through GKE's DNS-based
# control-plane endpoint (IAM-gated: container.clusters.connect; `gcloud container clusters
# get-credentials NAME --location REGION --dns-endpoint`), from the operator's shell or a
# GitHub-hosted job, to install ARC. Why Autopilot: no node pools to size or upgrade, billing per
# pod (ephemeral runners scale to zero), Workload Identity and shielded nodes always on, and the
# GKE free tier's monthly credit covers one Autopilot or zonal cluster per billing account.
# The runner pods get no cloud identity (decision 0029): no Workload Identity binding is made.
resource "google_container_cluster" "runners" {
  count = var.runner_cluster == null ? 0 : 1

  project          = var.project
  name             = var.runner_cluster.name
  location         = var.region
  enable_autopilot = true
  network          = google_compute_network.fleet[0].self_link
  subnetwork       = google_compute_subnetwork.runners[0].self_link

  ip_allocation_policy {
    cluster_secondary_range_name  = "runner-pods"
    services_secondary_range_name = "runner-services"
  }

  # Private nodes and a private IP endpoint: from inside the VPC only the runner subnet reaches it.
  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = true
  }

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = var.ip_ranges.runners_nodes
      display_name = "runner subnet"
    }
    cidr_blocks {
      cidr_block   = var.ip_ranges.runners_pods
      display_name = "runner pods"
    }
  }

  # The DNS endpoint: every request is authorised by IAM (container.clusters.connect) before
  # Kubernetes RBAC; allow_external_traffic lets callers outside the VPC use it (day zero).
  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = var.runner_cluster.allow_external_traffic
    }
  }

  release_channel {
    channel = "REGULAR"
  }

  deletion_protection = true

  depends_on = [google_project_service.api]
}
