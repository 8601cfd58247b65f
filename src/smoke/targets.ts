// Which hubs to smoke-test: one, a list, or `all` of a cluster, from the validated fleet (the
// action kit's selection), with what the probes need to know of each. Pure.
import { selectClusterHubs } from '../action/hub-selection.js';
import type { Fleet } from '../config/model.js';
import { namespaceName } from '../render/names.js';
import type { HubTarget } from './probes.js';

export function selectTargets(
  fleet: Fleet,
  cluster: string,
  hubs: 'all' | readonly string[],
  configDir: string,
): HubTarget[] {
  const selected = selectClusterHubs(fleet, cluster, hubs, configDir, { acceptsAll: true });
  return selected.hubs.map((hub) => ({
    cluster,
    hub: hub.config.name,
    provider: selected.cluster.config.provider,
    domain: hub.config.domain,
    namespace: namespaceName(hub.config.name),
  }));
}
