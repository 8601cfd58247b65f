# IAP access, scoped per hub. roles/iap.httpsResourceAccessor is granted on the project's IAP web
# resource with an IAM condition on the request's host, so a hub's members pass IAP for that hub's
# domain only. An unconditional project-wide grant would let every hub's members into every hub.
#
# No google_iap_brand / google_iap_client: Google shut down the IAP OAuth Admin API. Hubs use the
# Google-managed OAuth client, or a custom client whose credentials deploy-hub puts in a Secret.
#
# smoke_identity (the identity smoke-iap mints its ID token as) gets the same per-hub grant, so the
# smoke test's authorised request can answer 200. The 403 probe needs a second identity with no IAP
# role at all; which one is the operator's choice and is not managed here (README "Terraform modules").

locals {
  iap_grants = merge([
    for hub_name, hub in var.hubs : {
      for member in distinct(concat(hub.iap_members, [var.smoke_identity])) : "${hub_name}/${member}" => { hub = hub_name, domain = hub.domain, member = member }
    }
  ]...)
}

resource "google_iap_web_iam_member" "hub" {
  for_each = local.iap_grants

  project = var.project
  role    = "roles/iap.httpsResourceAccessor"
  member  = each.value.member

  condition {
    title       = "hubfleet-${each.value.hub}"
    description = "IAP access to hub ${each.value.hub} (${each.value.domain}) only"
    expression  = "request.host == \"${each.value.domain}\""
  }
}
