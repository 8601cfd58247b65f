// A hub's domain must lie inside its cluster's DNS zone: the cluster's Terraform creates the hub's
// DNS record there (terraform/gcp/hubs.tf google_dns_record_set, terraform/aws Route 53 record).
// The zone is named by an ID (gcp.dnsZone, aws.hostedZoneId), so the config says its DNS name in
// `dnsDomain`, and Terraform's postcondition on the zone checks the two agree
// (docs/decisions/0021-config-integrity.md).
import type { ClusterConfig } from './model.js';

/** True when `domain` is `zone` or a name below it (compared without case and trailing dots). */
export function insideZone(domain: string, zone: string): boolean {
  const d = domain.toLowerCase().replace(/\.+$/, '');
  const z = zone.toLowerCase().replace(/\.+$/, '');
  return d === z || d.endsWith(`.${z}`);
}

/** Why `domain` cannot be served from the cluster's zone, or undefined when it can (or the zone's name is not given). */
export function domainOutsideZone(cluster: ClusterConfig, domain: string): string | undefined {
  const zone = cluster.dnsDomain;
  if (zone === undefined || insideZone(domain, zone)) return undefined;
  const id =
    cluster.provider === 'gcp'
      ? `Cloud DNS zone ${cluster.gcp?.dnsZone ?? '?'}`
      : `Route 53 zone ${cluster.aws?.hostedZoneId ?? '?'}`;
  return `is outside cluster ${cluster.name}'s DNS zone ${zone} (${id}), where hubfleet creates the hub's DNS record: use a name ending in .${zone}`;
}
