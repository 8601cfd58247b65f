// Which hubs of which cluster a verify-cert run covers, from its `cluster` and `hubs` inputs.
import { didYouMean } from '../config/did-you-mean.js';
import type { Fleet, LoadedCluster, LoadedHub } from '../config/model.js';
import { HubfleetError } from '../errors.js';

export { parseHubList } from '../action/hub-list.js';

export function selectHubs(
  fleet: Fleet,
  clusterName: string,
  hubs: 'all' | readonly string[],
): { cluster: LoadedCluster; hubs: LoadedHub[] } {
  const cluster = fleet.clusters.find((c) => c.config.name === clusterName);
  const clusterNames = fleet.clusters.map((c) => c.config.name);
  if (cluster === undefined) {
    const guess = didYouMean(clusterName, clusterNames);
    throw new HubfleetError(
      `input "cluster": no cluster ${clusterName} in the config${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
      {
        hint: `use one of: ${clusterNames.join(', ') || '(none)'}`,
      },
    );
  }
  if (cluster.config.provider !== 'gcp') {
    throw new HubfleetError(
      `cluster ${clusterName} is on ${cluster.config.provider}: verify-cert checks GKE ManagedCertificates`,
      {
        hint: 'run verify-cert only for GKE clusters; on EKS the AWS Load Balancer Controller uses ACM certificates (smoke-iap still checks TLS there)',
      },
    );
  }
  if (hubs === 'all') return { cluster, hubs: cluster.hubs };
  if (hubs.length === 0) {
    throw new HubfleetError('input "hubs" is empty', {
      hint: 'give hub names (newline or comma separated) or all',
    });
  }
  const known = cluster.hubs.map((h) => h.config.name);
  const unknown = hubs.filter((h) => !known.includes(h));
  if (unknown.length > 0) {
    const described = unknown.map((h) => {
      const guess = didYouMean(h, known);
      return guess === undefined ? h : `${h} (did you mean ${guess}?)`;
    });
    throw new HubfleetError(`input "hubs": cluster ${clusterName} has no hub ${described.join(', ')}`, {
      hint: `hubs of ${clusterName}: ${known.join(', ') || '(none)'}`,
    });
  }
  return { cluster, hubs: cluster.hubs.filter((h) => hubs.includes(h.config.name)) };
}
