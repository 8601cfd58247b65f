# The hubs' public zone (optional): terraform/gcp writes one A record per hub into it. After the
# first apply, delegate dns_domain to the zone's name servers at the registrar (a manual step:
# docs/zero-to-a-first-hub.md; `hubfleet doctor` check dns-delegation).
resource "google_dns_managed_zone" "hubs" {
  count = var.dns_zone == null ? 0 : 1

  project     = var.project
  name        = var.dns_zone
  dns_name    = "${var.dns_domain}."
  description = "hubfleet hubs (${var.dns_domain})"
  visibility  = "public"
  # A zone holding every hub's record must not go with a destroy of this module.
  force_destroy = false

  depends_on = [google_project_service.api]
}
