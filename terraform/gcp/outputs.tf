# Read by apply-iam (`terraform output -json`) and handed to deploy-hub. The annotation must equal
# what src/render/manifests.ts expectedServiceAccountAnnotations renders, or deploy-hub refuses.

output "kubernetes_sa_annotations" {
  description = "Per hub namespace, the annotations of the user KSA: the Google service account it acts as."
  value = {
    for name, hub in var.hubs : hub.namespace => {
      "iam.gke.io/gcp-service-account" = google_service_account.hub[name].email
    }
  }
}

output "hubs" {
  description = "Per hub, what deploy-hub needs: the Ingress's static address, the buckets by config key, the identity."
  value = {
    for name, hub in var.hubs : name => {
      static_ip_name        = google_compute_global_address.hub[name].name
      static_ip_address     = google_compute_global_address.hub[name].address
      buckets               = { for key, bucket in hub.buckets : key => google_storage_bucket.hub["${name}/${key}"].name }
      service_account_email = google_service_account.hub[name].email
    }
  }
}
