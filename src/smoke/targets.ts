// Which hubs to smoke-test: one, a list, or `all` of a cluster, from the validated fleet. Pure.
import { didYouMean } from '../config/did-you-mean.js';
import type { Fleet } from '../config/model.js';
import { HubfleetError } from '../errors.js';
import { namespaceName } from '../render/names.js';
import type { HubTarget } from './probes.js';

export { parseHubList } from '../action/hub-list.js';

export function selectTargets(fleet: Fleet, cluster: string, hubs: 'all' | readonly string[]): HubTarget[] {
  const found = fleet.clusters.find((c) => c.config.name === cluster);
  if (found === undefined) {
    const known = fleet.clusters.map((c) => c.config.name);
    const guess = didYouMean(cluster, known);
    throw new HubfleetError(
      `cluster "${cluster}" is not in the config${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`,
      { hint: `set the cluster input to one of: ${known.join(', ') || '(no clusters configured)'}` },
    );
  }
  const byName = new Map(found.hubs.map((h) => [h.config.name, h]));
  const names = hubs === 'all' ? [...byName.keys()] : hubs;
  if (hubs !== 'all' && names.length === 0) {
    throw new HubfleetError('input "hubs" names no hub', { hint: 'give one hub, a list, or all' });
  }
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const known = [...byName.keys()];
    const described = unknown.map((n) => {
      const guess = didYouMean(n, known);
      return guess === undefined ? `"${n}"` : `"${n}" (did you mean "${guess}"?)`;
    });
    throw new HubfleetError(`cluster ${cluster} has no hub ${described.join(', ')}`, {
      hint: `hubs of ${cluster}: ${known.join(', ') || '(none)'}; or use all`,
    });
  }
  return names.map((name) => {
    const hub = byName.get(name);
    if (hub === undefined) throw new Error(`unreachable: hub ${name} vanished`);
    return {
      cluster,
      hub: name,
      provider: found.config.provider,
      domain: hub.config.domain,
      namespace: namespaceName(name),
    };
  });
}
