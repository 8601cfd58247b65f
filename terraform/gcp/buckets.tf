# Per hub: its buckets (private, uniform access, objects deleted after delete_after_days) and the
# grants of the hub's identity on them.

locals {
  # "<hub>/<bucket key>" → bucket; the key stays stable when a bucket's settings change.
  buckets = merge([
    for hub_name, hub in var.hubs : {
      for key, bucket in hub.buckets : "${hub_name}/${key}" => merge(bucket, { hub = hub_name })
    }
  ]...)

  bucket_key_by_name = { for key, bucket in local.buckets : bucket.bucket_name => key }

  # "<hub>/<bucket name>/<role>" → grant. The renderer only lets a hub name its own buckets.
  bucket_grants = merge([
    for hub_name, hub in var.hubs : merge(
      { for name in hub.bucket_admin_access : "${hub_name}/${name}/admin" => { hub = hub_name, bucket_name = name, role = "roles/storage.objectAdmin" } },
      { for name in hub.bucket_readonly_access : "${hub_name}/${name}/readonly" => { hub = hub_name, bucket_name = name, role = "roles/storage.objectViewer" } },
    )
  ]...)
}

resource "google_storage_bucket" "hub" {
  for_each = local.buckets

  project  = var.project
  name     = each.value.bucket_name
  location = upper(var.region)

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Scratch data is deleted by the lifecycle rule, never by a Terraform destroy.
  force_destroy = false

  labels = {
    hubfleet-hub   = each.value.hub
    hubfleet-stage = var.hubs[each.value.hub].stage
  }

  # GCS keeps deleted objects, billable, for 7 days by default (soft delete); a scratch bucket whose
  # objects expire must not keep paying for them, so soft delete is off there.
  dynamic "soft_delete_policy" {
    for_each = each.value.delete_after_days == null ? [] : [0]
    content {
      retention_duration_seconds = soft_delete_policy.value
    }
  }

  dynamic "lifecycle_rule" {
    for_each = each.value.delete_after_days == null ? [] : [each.value.delete_after_days]
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }
}

resource "google_storage_bucket_iam_member" "hub" {
  for_each = local.bucket_grants

  bucket = google_storage_bucket.hub[local.bucket_key_by_name[each.value.bucket_name]].name
  role   = each.value.role
  member = "serviceAccount:${google_service_account.hub[each.value.hub].email}"
}
