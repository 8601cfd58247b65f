// The control plane of a cluster: reachable from the internet, or from anywhere.
import { isRecord } from '../../config/field-path.js';
import type { AuditRule, RuleFinding } from '../finding.js';

export const publicControlPlane: AuditRule = {
  id: 'HF005',
  name: 'public-control-plane',
  severity: 'error',
  securitySeverity: 8.2,
  summary: "A GKE cluster's control plane has a public endpoint.",
  description:
    'With privateEndpoint: false the Kubernetes API answers on a public address; a leaked or long-lived credential is then usable from anywhere, which is how clusters of public hubs have been taken over.',
  fix: 'Set gcp.privateEndpoint: true; jobs reach the control plane from the in-VPC runners (or through the IAM-gated DNS endpoint).',
  check: (ctx) =>
    ctx.clusters.flatMap(({ cluster, source }): RuleFinding[] =>
      cluster.config.gcp?.privateEndpoint === false
        ? [
            {
              ...source.locate(['gcp', 'privateEndpoint'], 'value'),
              field: 'gcp.privateEndpoint',
              message: `the control plane of ${cluster.config.name} has a public endpoint`,
            },
          ]
        : [],
    ),
};

/** A CIDR block that admits the whole internet (0.0.0.0/0) or, with a short prefix, most of it. */
function admitsInternet(cidr: string): boolean {
  const prefix = Number(cidr.split('/')[1]);
  return Number.isInteger(prefix) && prefix === 0;
}

export const openAuthorizedNetworks: AuditRule = {
  id: 'HF006',
  name: 'open-authorized-networks',
  severity: 'error',
  securitySeverity: 8.2,
  summary: "A cluster's master authorized networks admit every address (0.0.0.0/0).",
  description:
    "Authorized networks are the control plane's allow-list; 0.0.0.0/0 turns it off, so the API server's only guard is its credentials.",
  fix: "Name the networks that need the control plane (the runners' subnet is already admitted); remove 0.0.0.0/0.",
  check: (ctx) =>
    ctx.clusters.flatMap(({ cluster, source }) =>
      (cluster.config.gcp?.masterAuthorizedNetworks ?? []).flatMap((network, i): RuleFinding[] =>
        isRecord(network) && admitsInternet(network.cidrBlock)
          ? [
              {
                ...source.locate(['gcp', 'masterAuthorizedNetworks', i, 'cidrBlock'], 'value'),
                field: `gcp.masterAuthorizedNetworks[${i}].cidrBlock`,
                message: `${network.cidrBlock} (${network.displayName}) admits every address to the control plane of ${cluster.config.name}`,
              },
            ]
          : [],
      ),
    ),
};
