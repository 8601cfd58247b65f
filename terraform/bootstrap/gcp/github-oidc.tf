# GitHub OIDC trust and the two identities of decision 0029.
#
# The pool accepts only tokens of the fleet repository (attribute_condition on its name and its
# numeric ID: GitHub's issuer is shared by every repository). Inside the pool:
# - the planner is the pool's principal set for the repository itself (direct Workload Identity
#   Federation, no service account; google-github-actions/auth README, "Direct Workload Identity
#   Federation"): read-only roles, any run of the repository;
# - the applier is a service account only the exact subjects of the Environments
#   <cluster>-apply|-staging|-prod on main may impersonate. The subjects use the repository's
#   subject template ["repo", "context", "ref"] (README "Security model"; GitHub docs
#   about-security-hardening-with-openid-connect.md, "Customizing the subject claims").
data "google_project" "this" {
  project_id = var.project
}

locals {
  pool_name = google_iam_workload_identity_pool.github.name
  applier_subjects = flatten([
    for c in var.clusters : [
      for stage in ["apply", "staging", "prod"] :
      "repo:${var.github_repository}:environment:${c}-${stage}:ref:refs/heads/main"
    ]
  ])
  # A job without an Environment on main (the schedules): context is ref:refs/heads/main, then the
  # ref claim again.
  schedule_subject = "repo:${var.github_repository}:ref:refs/heads/main:ref:refs/heads/main"
  planner_member   = "principalSet://iam.googleapis.com/${local.pool_name}/attribute.repository_id/${var.github_repository_id}"
}

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.project
  workload_identity_pool_id = var.workload_identity_pool_id
  display_name              = "GitHub Actions"
  description               = "hubfleet: GitHub Actions of ${var.github_repository}"

  depends_on = [google_project_service.api]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  project                            = var.project
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = var.workload_identity_provider_id
  display_name                       = "GitHub ${substr(var.github_repository, 0, 24)}"
  description                        = "hubfleet: tokens of ${var.github_repository} only"

  attribute_mapping = {
    "google.subject"          = "assertion.sub"
    "attribute.repository"    = "assertion.repository"
    "attribute.repository_id" = "assertion.repository_id"
    "attribute.environment"   = "assertion.environment"
    "attribute.ref"           = "assertion.ref"
  }
  attribute_condition = "assertion.repository == \"${var.github_repository}\" && assertion.repository_id == \"${var.github_repository_id}\""

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

# ---- planner: read-only, the repository's principal set ----

resource "google_project_iam_member" "planner" {
  for_each = toset(["roles/viewer", "roles/iam.securityReviewer"])

  project = var.project
  role    = each.value
  member  = local.planner_member
}

resource "google_storage_bucket_iam_member" "planner_state_read" {
  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectViewer"
  member = local.planner_member
}

# `hubfleet doctor` (state-bucket) reads the bucket itself (buckets.get: versioning, public access
# prevention). objectViewer grants objects only; legacyBucketReader adds storage.buckets.get (with
# objects.list, which objectViewer already has), on this bucket and no other. The planner's other
# doctor reads come with the project roles above: Service Usage services.list, Cloud DNS
# managedZones.get, Compute globalAddresses.get and the Workload Identity pool/provider get with
# roles/viewer; IAP getIamPolicy with roles/iam.securityReviewer (decision 0080).
resource "google_storage_bucket_iam_member" "planner_state_bucket_read" {
  bucket = google_storage_bucket.state.name
  role   = "roles/storage.legacyBucketReader"
  member = local.planner_member
}

# A plan takes the state lock: the GCS backend writes and deletes <prefix>/<workspace>.tflock
# (backend_state.go lockFile). The planner may create and delete that object and nothing else.
resource "google_storage_bucket_iam_member" "planner_state_lock" {
  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectUser"
  member = local.planner_member

  condition {
    title       = "state lock objects only"
    description = "Terraform's GCS backend lock files (<prefix>/<workspace>.tflock)."
    expression  = "resource.name.startsWith(\"projects/_/buckets/${var.state_bucket}/objects/\") && resource.name.endsWith(\".tflock\")"
  }
}

# The first plan of a new cluster finds no state, and the GCS backend then writes an empty one
# (terraform internal/backend/remote-state/gcs/backend_state.go, StateMgr: "If the named state does
# not yet exist, a new state file is created"). objectCreator may create a .tfstate object but
# never replace one (replacing needs storage.objects.delete too), so an existing state stays the
# applier's alone.
resource "google_storage_bucket_iam_member" "planner_state_create" {
  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectCreator"
  member = local.planner_member

  condition {
    title       = "new state objects only"
    description = "The empty state the GCS backend writes for a cluster planned for the first time."
    expression  = "resource.name.startsWith(\"projects/_/buckets/${var.state_bucket}/objects/\") && resource.name.endsWith(\".tfstate\")"
  }
}

# ---- applier: a service account for the Environments' subjects only ----

resource "google_service_account" "deployer" {
  project      = var.project
  account_id   = var.deployer_account_id
  display_name = "hubfleet applier"
  description  = "hubfleet applier: apply-iam and deploys, impersonated only from the Environments <cluster>-apply|-staging|-prod of ${var.github_repository} on main."

  depends_on = [google_project_service.api]
}

resource "google_service_account_iam_member" "deployer_wif" {
  for_each = toset(local.applier_subjects)

  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${local.pool_name}/subject/${each.value}"
}

locals {
  # What terraform/gcp manages and deploy-hub does, role by role.
  applier_roles = toset(concat(
    [
      "roles/viewer",                  # plan: read every resource the modules refresh
      "roles/iam.serviceAccountAdmin", # per-hub service accounts and their Workload Identity bindings
      "roles/iam.roleAdmin",           # the per-cluster requester-pays custom role
      "roles/storage.admin",           # hub buckets with their IAM, the state objects
      "roles/compute.publicIpAdmin",   # per-hub global static IPs
      "roles/dns.admin",               # per-hub A records
      "roles/iap.admin",               # per-hub conditional IAP bindings
      "roles/container.admin",         # helm/kubectl into the hub namespaces (RBAC objects included)
    ],
    var.applier_creates_clusters ? [
      "roles/compute.networkAdmin",   # Cloud Router and NAT of a created cluster's subnet
      "roles/compute.securityAdmin",  # its firewall rule (control plane → CHP)
      "roles/iam.serviceAccountUser", # run the created cluster's nodes as their service account
    ] : [],
  ))
  # terraform/gcp grants exactly these project roles (nodes.tf, hubs.tf); the applier may grant
  # them and no other (IAM "modifiedGrantsByRole" condition on the project IAM admin role).
  grantable_roles = concat(
    var.applier_creates_clusters ? ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"] : [],
    [
      for c in var.clusters : "projects/${var.project}/roles/${length(c) <= 40 ? "hubfleet_${replace(c, "-", "_")}_requester_pays" : "hubfleet_${substr(sha256(c), 0, 16)}_requester_pays"}"
    ],
  )
}

resource "google_project_iam_member" "deployer" {
  for_each = local.applier_roles

  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_grants" {
  project = var.project
  role    = "roles/resourcemanager.projectIamAdmin"
  member  = "serviceAccount:${google_service_account.deployer.email}"

  condition {
    title       = "hubfleet module roles only"
    description = "May add or remove project grants of the roles terraform/gcp manages, nothing else."
    expression  = "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(${jsonencode(local.grantable_roles)})"
  }
}

# ---- IAP probers (decision 0029): ID tokens for smoke-iap and hub-health ----

resource "google_service_account" "iap_prober" {
  project      = var.project
  account_id   = "hubfleet-iap-prober"
  display_name = "hubfleet IAP prober"
  description  = "Its ID token must get through IAP: terraform/gcp grants it IAP access to every hub, per host (secret HUBFLEET_IAP_PROBER)."

  depends_on = [google_project_service.api]
}

resource "google_service_account" "iap_unauthorized" {
  project      = var.project
  account_id   = "hubfleet-iap-unauthorized"
  display_name = "hubfleet IAP unauthorised prober"
  description  = "Holds no IAP role: its ID token must get 403 (secret HUBFLEET_IAP_UNAUTHORIZED)."

  depends_on = [google_project_service.api]
}

resource "google_service_account_iam_member" "iap_prober_wif" {
  for_each = toset(concat(local.applier_subjects, [local.schedule_subject]))

  service_account_id = google_service_account.iap_prober.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${local.pool_name}/subject/${each.value}"
}

resource "google_service_account_iam_member" "iap_unauthorized_wif" {
  for_each = toset(concat(local.applier_subjects, [local.schedule_subject]))

  service_account_id = google_service_account.iap_unauthorized.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${local.pool_name}/subject/${each.value}"
}
