# The bucket every Terraform state of the fleet lives in: one prefix per cluster
# (cluster.yaml terraform.backend.prefix, clusters/<cluster>) and bootstrap/gcp for this module.
resource "google_storage_bucket" "state" {
  name     = var.state_bucket
  project  = var.project
  location = coalesce(var.state_bucket_location, var.region)

  # A state is never deleted with the bucket; every overwrite keeps the previous version.
  force_destroy               = false
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  # Old versions of a state are kept long enough to roll back a bad apply, not forever.
  lifecycle_rule {
    condition {
      num_newer_versions = 20
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle {
    prevent_destroy = true
  }

  depends_on = [google_project_service.api]
}
