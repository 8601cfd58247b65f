// Fields people look for in another block of cluster.yaml: issue 21 (and the Kubeflow guide) speak
// of `network.restrictedGoogleApis`, `network.privateEndpoint`, `vpcServiceControls.perimeter`,
// while hubfleet keeps GKE's settings under `gcp:` and the provider-neutral user-pod egress under
// `network:` (docs/decisions/0055). An unknown key that is one of them says where it lives.
import { formatPath, type PathSegment } from './field-path.js';

const GKE_NETWORK_FIELDS = [
  'privateEndpoint',
  'masterAuthorizedNetworks',
  'restrictedGoogleApis',
  'vpcServiceControls',
] as const;

/**
 * What to say of an unknown `key` under `parent` in a cluster.yaml of `provider` when the field
 * lives elsewhere, else undefined.
 */
export function clusterFieldHome(
  parent: readonly PathSegment[],
  key: string,
  provider: unknown,
): string | undefined {
  const at = formatPath(parent);
  if ((at === '' || at === 'network') && (GKE_NETWORK_FIELDS as readonly string[]).includes(key)) {
    return provider === 'aws'
      ? `gcp.${key} is a GKE setting, which an AWS cluster does not have: remove it`
      : `it is gcp.${key}: move it there`;
  }
  if ((at === '' || at === 'gcp' || at === 'aws') && key === 'extraEgressCidrs')
    return 'it is network.extraEgressCidrs (both providers): move it there';
  return undefined;
}
