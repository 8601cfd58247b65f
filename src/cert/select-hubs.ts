// Which hubs of which cluster a verify-cert run covers, from its `cluster` and `hubs` inputs: the
// action kit's selection, plus the one check of verify-cert's own (GKE only), made before the
// hub names so that an EKS cluster is refused for what it is.
import { findCluster, selectHubsOf } from '../action/hub-selection.js';
import type { Fleet, LoadedCluster, LoadedHub } from '../config/model.js';
import { HubfleetError } from '../errors.js';

export function selectHubs(
  fleet: Fleet,
  clusterName: string,
  hubs: 'all' | readonly string[],
  configDir: string,
): { cluster: LoadedCluster; hubs: LoadedHub[] } {
  const cluster = findCluster(fleet, clusterName, configDir);
  if (cluster.config.provider !== 'gcp') {
    throw new HubfleetError(
      `cluster ${clusterName} is on ${cluster.config.provider}: verify-cert checks GKE ManagedCertificates`,
      {
        hint: 'run verify-cert only for GKE clusters; on EKS the AWS Load Balancer Controller uses ACM certificates (smoke-iap still checks TLS there)',
      },
    );
  }
  return { cluster, hubs: selectHubsOf(cluster, hubs, { acceptsAll: true }) };
}
