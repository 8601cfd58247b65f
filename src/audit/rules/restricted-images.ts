// A cluster whose nodes reach Google's registries only through the restricted VIP, or that sits in
// a VPC Service Controls perimeter, without an image mirror: its hubs' images come from public
// registries it cannot (or must not) pull from. Decision 0055 (what restrictedGoogleApis changes
// on the network), decision 0060 (images.mirror), decision 0078 (this rule).
import type { AuditRule, RuleFinding } from '../finding.js';

export const restrictedWithoutMirror: AuditRule = {
  id: 'HF017',
  name: 'restricted-network-without-mirror',
  severity: 'warning',
  securitySeverity: 4.3,
  summary:
    'A cluster in a VPC Service Controls perimeter, or on the restricted Google APIs VIP, has no images.mirror.',
  description:
    "With gcp.restrictedGoogleApis, gcr.io and pkg.dev resolve to the restricted VIP (terraform/gcp/restricted-apis.tf), which serves only the services VPC Service Controls protects; inside a perimeter, Artifact Registry refuses images from projects outside it, and Docker Hub or quay.io are outside it too. The hubs' chart images (quay.io/jupyterhub, registry.k8s.io, which redirects to pkg.dev) then fail to pull at the next node or upgrade, and the usual way out, an egress opening for the registries, is a hole in the perimeter.",
  fix: 'Set images.mirror in cluster.yaml to a registry inside the perimeter (hubfleet images lists the images to copy) and run the mirroring job before the next deploy.',
  check: (ctx) =>
    ctx.clusters.flatMap(({ cluster, source }): RuleFinding[] => {
      const gcp = cluster.config.gcp;
      if (gcp?.restrictedGoogleApis !== true || cluster.config.images?.mirror !== undefined) return [];
      // validate requires restrictedGoogleApis with vpcServiceControls (network-rules.ts), so the
      // flag is where both cases are set.
      const where =
        gcp.vpcServiceControls === undefined
          ? 'reaches Google APIs, gcr.io and pkg.dev only through the restricted VIP'
          : `is in the VPC Service Controls perimeter ${gcp.vpcServiceControls.perimeter}`;
      return [
        {
          ...source.locate(['gcp', 'restrictedGoogleApis'], 'value'),
          field: 'gcp.restrictedGoogleApis',
          message: `${cluster.config.name} ${where} but has no images.mirror: its hubs' images come from public registries its nodes cannot pull from`,
        },
      ];
    }),
};
