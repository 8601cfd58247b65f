// Names given on the command line: a cluster or hub name becomes a path under --config (new-hub) or
// --out (render) and a Kubernetes namespace, so only a DNS label is accepted, before any file is
// read or written; a name the fleet does not hold gets a did-you-mean.
import { didYouMean } from '../config/did-you-mean.js';
import type { Fleet, LoadedCluster } from '../config/model.js';
import { UsageError } from './usage-error.js';

/** RFC 1123 label, as Kubernetes namespaces and the config's `name` fields (config/patterns). */
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Refuses a value that is not a DNS label. A label holds no `/`, `.` or `\`, so a name can never
 * reach outside the directory it is joined to (`--name ../../x` is refused here).
 */
export function requireDnsLabel(flag: string, value: string): string {
  if (!DNS_LABEL.test(value)) {
    throw new UsageError(
      `--${flag} must be a DNS label (lowercase letters, digits and "-", starting with a letter and not ending with "-", at most 63 characters), not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function unknownName(what: string, name: string, known: readonly string[], where = ''): UsageError {
  const suggestion = didYouMean(name, known);
  return new UsageError(
    `no ${what} named "${name}"${where}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
    { hint: `use one of: ${known.join(', ') || '(none)'}` },
  );
}

/** The cluster named on the command line, or a usage error with a did-you-mean. */
export function findCluster(fleet: Fleet, name: string): LoadedCluster {
  const cluster = fleet.clusters.find((c) => c.config.name === name);
  if (cluster !== undefined) return cluster;
  const known = fleet.clusters.map((c) => c.config.name).sort();
  throw unknownName('cluster', name, known);
}

/** Checks that hub `hub` is on `cluster` (when given), with a did-you-mean. */
export function checkTarget(fleet: Fleet, cluster: string | undefined, hub: string | undefined): void {
  if (cluster === undefined) return;
  const found = findCluster(fleet, cluster);
  if (hub === undefined || found.hubs.some((h) => h.config.name === hub)) return;
  const known = found.hubs.map((h) => h.config.name).sort();
  throw unknownName('hub', hub, known, ` on cluster ${cluster}`);
}
