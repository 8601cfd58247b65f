# The identity of a created cluster's nodes: a service account of their own with the roles a node
# needs (logs, metrics, image pulls), never the Compute Engine default service account, which has
# Editor on the project in most projects.

locals {
  # Account IDs are 6–30 characters; a long cluster name is hashed instead.
  node_service_account_id = (
    length(var.hubfleet_cluster) <= 24
    ? "${var.hubfleet_cluster}-nodes"
    : "nodes-${substr(sha256(var.hubfleet_cluster), 0, 16)}"
  )
  # roles/container.defaultNodeServiceAccount: what GKE documents as the minimum for a node service
  # account (logging, monitoring, resource metadata); Artifact Registry read for private images.
  node_roles = var.create_cluster ? toset(["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"]) : toset([])
}

resource "google_service_account" "nodes" {
  count = var.create_cluster ? 1 : 0

  project      = var.project
  account_id   = local.node_service_account_id
  display_name = "hubfleet ${var.hubfleet_cluster} nodes"
  description  = "Identity of the nodes of GKE cluster ${var.cluster_name}; pods use their hub's Workload Identity instead."
}

resource "google_project_iam_member" "nodes" {
  for_each = local.node_roles

  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.nodes[0].email}"
}
