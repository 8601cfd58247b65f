# The hubs' public zone (optional). After the first apply, delegate hosted_zone_domain to the
# zone's name servers at the registrar or the parent zone (a manual step:
# docs/zero-to-a-first-hub.md; `hubfleet doctor` check dns-delegation).
resource "aws_route53_zone" "hubs" {
  count = var.hosted_zone_domain == null ? 0 : 1

  name          = var.hosted_zone_domain
  comment       = "hubfleet hubs"
  force_destroy = false
}

locals {
  zone_id = var.hosted_zone_domain != null ? aws_route53_zone.hubs[0].zone_id : var.hosted_zone_id
}
