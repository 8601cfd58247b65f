# Per hub: an ACM certificate for its domain, validated by DNS in the hubs' Route 53 zone. The AWS
# Load Balancer Controller attaches it to the hub's ALB by certificate discovery: the Ingress names
# the domain under spec.tls[].hosts (src/render/manifests.ts) and the controller picks the ISSUED
# ACM certificate that covers it. apply-iam runs before deploy-hub, and the validation resource
# waits until the certificate is ISSUED, so the Ingress never comes up without one.

resource "aws_acm_certificate" "hub" {
  for_each = var.hubs

  domain_name       = each.value.domain
  validation_method = "DNS"

  tags = {
    "hubfleet.dev/hub"   = each.key
    "hubfleet.dev/stage" = each.value.stage
  }

  # A domain change issues the new certificate before the old one is deleted; the ALB may still
  # hold the old one until deploy-hub has moved the Ingress.
  lifecycle {
    create_before_destroy = true
  }
}

# One CNAME per certificate (a single domain, no SANs: one validation option).
resource "aws_route53_record" "certificate_validation" {
  for_each = var.hubs

  zone_id         = data.aws_route53_zone.hubs.zone_id
  name            = one(aws_acm_certificate.hub[each.key].domain_validation_options).resource_record_name
  type            = one(aws_acm_certificate.hub[each.key].domain_validation_options).resource_record_type
  records         = [one(aws_acm_certificate.hub[each.key].domain_validation_options).resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "hub" {
  for_each = var.hubs

  certificate_arn         = aws_acm_certificate.hub[each.key].arn
  validation_record_fqdns = [aws_route53_record.certificate_validation[each.key].fqdn]
}
