// Rules across files: unique hub names per cluster, unique domains across the fleet, and the
// staging-before-prod warning.
import type { ConfigProblem } from './model.js';
import { locate, problemAt, type YamlSource } from './config-source.js';

export interface HubEntry {
  cluster: string;
  /** The file name without `.yaml`, which the hub's name must equal. */
  baseName: string;
  source: YamlSource;
}

function where(source: YamlSource, field: string): string {
  const { file, line } = locate(source, [field], 'value');
  return `${file}:${line}`;
}

/** `hubs` in file order, so "the second occurrence" is well defined. */
export function fleetRules(hubs: readonly HubEntry[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [...duplicateNames(hubs)];
  const domains = new Map<string, HubEntry>();
  for (const hub of hubs) {
    const { domain } = hub.source.data;
    if (typeof domain === 'string') {
      const key = domain.toLowerCase();
      const first = domains.get(key);
      if (first === undefined) domains.set(key, hub);
      else {
        problems.push(
          problemAt(
            hub.source,
            ['domain'],
            'value',
            `domain "${domain}" is already used by ${where(first.source, 'domain')}; each hub needs its own domain`,
          ),
        );
      }
    }
  }
  problems.push(...stagingWarnings(hubs));
  return problems;
}

/**
 * A hub name used twice in one cluster. The name belongs to the hub whose file carries it (a copied
 * file that kept the old name is the one to fix), else to the first in file order.
 */
function duplicateNames(hubs: readonly HubEntry[]): ConfigProblem[] {
  const groups = new Map<string, HubEntry[]>();
  for (const hub of hubs) {
    const { name } = hub.source.data;
    if (typeof name !== 'string') continue;
    const key = `${hub.cluster}\0${name}`;
    groups.set(key, [...(groups.get(key) ?? []), hub]);
  }
  const problems: ConfigProblem[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const owner = group.find((h) => h.source.data.name === h.baseName) ?? group[0];
    if (owner === undefined) continue;
    for (const hub of group) {
      if (hub === owner) continue;
      problems.push(
        problemAt(
          hub.source,
          ['name'],
          'value',
          `hub name "${String(hub.source.data.name)}" is already used in cluster ${hub.cluster} by ${where(owner.source, 'name')}; hub names are namespaces and must be unique per cluster`,
        ),
      );
    }
  }
  return problems;
}

// Prod deploys wait for the cluster's staging hubs; with none, a change reaches prod untested.
function stagingWarnings(hubs: readonly HubEntry[]): ConfigProblem[] {
  const withStaging = new Set(hubs.filter((h) => h.source.data.stage === 'staging').map((h) => h.cluster));
  return hubs
    .filter((h) => h.source.data.stage === 'prod' && !withStaging.has(h.cluster))
    .map((h) =>
      problemAt(
        h.source,
        ['stage'],
        'value',
        `prod hub on cluster ${h.cluster}, which has no staging hub: changes reach prod without a staging deploy and smoke test first; add a staging hub`,
        'warning',
      ),
    );
}
