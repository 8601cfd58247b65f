// `hubfleet images`: every image the fleet's hubs pull, as source → mirror pairs, for the job that
// copies them into each cluster's `images.mirror` (decision 0060). Each pair once, sorted.
import type { LoadedCluster } from '../config/model.js';
import { type Command, type OptionValue, loadFromDir, report, str } from './common.js';
import { findCluster, requireDnsLabel } from './names.js';
import { UsageError } from './usage-error.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface ImagePair {
  source: string;
  mirror: string;
  /** `cluster/hub` of every hub that pulls it, sorted. */
  usedBy: string[];
}

function parseFormat(value: OptionValue): Format {
  const format = str(value);
  if ((FORMATS as readonly string[]).includes(format)) return format as Format;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
}

export const imagesCommand: Command = {
  summary: 'list every image the hubs pull as source → mirror pairs, for the mirroring job',
  usage: `hubfleet images [--cluster C] [--config DIR] [--format text|json]

For every cluster with images.mirror in its cluster.yaml (only C with --cluster), renders each
hub's values as deploy-hub does and lists every image they pull, from the charts' defaults and
from the hub and platform files, with the mirror reference the render rewrote it to: same path,
tag and digest under the mirror. Each pair once, sorted by source. text: one "SOURCE MIRROR" line
per pair (columns aligned), to feed a copy loop; json: [{source, mirror, usedBy}]. A cluster
without images.mirror lists nothing (a note on stderr). Exit 1 when the fleet does not validate,
2 on a usage error.`,
  options: {
    config: { type: 'string', default: 'config' },
    cluster: { type: 'string' },
    format: { type: 'string', default: 'text' },
  },
  run: async (v, io) => {
    const format = parseFormat(v.format);
    const clusterName = v.cluster === undefined ? undefined : requireDnsLabel('cluster', str(v.cluster));
    const result = await loadFromDir(str(v.config), io);
    if (!report(result, io)) return 1;
    let clusters: LoadedCluster[] = result.fleet.clusters.filter((c) => c.config.images !== undefined);
    if (clusterName !== undefined) {
      const cluster = findCluster(result.fleet, clusterName);
      // Not an error: the scheduled mirroring job asks every cluster, and one without a mirror
      // simply has nothing to copy.
      if (cluster.config.images === undefined) {
        io.stderr(
          `hubfleet images: ${cluster.file} sets no images.mirror; its hubs pull from the images' sources, nothing to copy\n`,
        );
      }
      clusters = cluster.config.images === undefined ? [] : [cluster];
    }
    const { hubImages } = await import('../render/hub-images.js');
    const pairs = new Map<string, ImagePair>();
    for (const cluster of clusters) {
      for (const hub of cluster.hubs) {
        for (const { source, mirror } of hubImages(cluster, hub)) {
          const key = `${source}\u0000${mirror}`;
          const pair = pairs.get(key) ?? { source, mirror, usedBy: [] };
          const user = `${cluster.config.name}/${hub.config.name}`;
          if (!pair.usedBy.includes(user)) pair.usedBy.push(user);
          pairs.set(key, pair);
        }
      }
    }
    const sorted = [...pairs.values()]
      .map((p) => ({ ...p, usedBy: p.usedBy.sort() }))
      .sort((a, b) => (a.source === b.source ? cmp(a.mirror, b.mirror) : cmp(a.source, b.source)));
    if (format === 'json') {
      io.stdout(`${JSON.stringify(sorted, null, 2)}\n`);
    } else {
      const width = Math.max(0, ...sorted.map((p) => p.source.length));
      for (const p of sorted) io.stdout(`${p.source.padEnd(width)}  ${p.mirror}\n`);
    }
    return 0;
  },
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
