// `hubfleet targets`: the clusters (and one hub) a manual or scheduled run works on, validated
// against the fleet, as strategy.matrix JSON. workflow_dispatch inputs go through this first.
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { formatProblem } from '../config/problems.js';
import { cacheOptions } from './common.js';
import { checkTarget, requireDnsLabel } from './names.js';
import { UsageError } from './usage-error.js';

export interface TargetsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

type OptionValue = string | boolean | Array<string | boolean> | undefined;

const text = (v: OptionValue): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const targetsCommand = {
  summary: 'check a cluster/hub name against the fleet; print the matrix rows a run works on',
  usage: `hubfleet targets [--cluster C [--hub H] [--gke-only]] [--config DIR] [--github-output]

Validates the fleet, checks that cluster C (and hub H on it) exist, and prints {clusters, hub}
as strategy.matrix JSON: one row per cluster (all clusters without --cluster) with its runner
labels, OIDC login parameters and hub list, and with --hub one row for that hub with its stage
and GitHub Environment. --github-output also appends clusters=, has-clusters=, gke-clusters= (the
GKE rows), has-gke=, hub=, has-hub=, mirror-clusters= (the rows with images.mirror) and has-mirror=
to $GITHUB_OUTPUT. --gke-only refuses a cluster that is not GKE (recreate-cert:
only GKE has ManagedCertificates). Exit 1 when the fleet does not validate, a name is unknown or
--gke-only refuses the cluster.`,
  options: {
    config: { type: 'string', default: 'config' },
    cluster: { type: 'string' },
    hub: { type: 'string' },
    'gke-only': { type: 'boolean', default: false },
    'github-output': { type: 'boolean', default: false },
  } satisfies NonNullable<ParseArgsConfig['options']>,
  run: async (v: Record<string, OptionValue>, io: TargetsIo): Promise<number> => {
    const configDir = resolve(io.cwd, text(v.config) ?? 'config');
    const cluster = text(v.cluster);
    const hub = text(v.hub);
    if (cluster !== undefined) requireDnsLabel('cluster', cluster);
    if (hub !== undefined) requireDnsLabel('hub', hub);
    // Loaded only when targets runs, like every command's own modules (see cli.ts).
    const [{ loadFleetLazily }, { selectTargets }] = await Promise.all([
      import('../config/load-lazy.js'),
      import('../plan/targets.js'),
    ]);
    const result = await loadFleetLazily(configDir, { displayRoot: io.cwd, ...cacheOptions(io) });
    if (!result.ok) {
      for (const p of result.problems) io.stderr(`${formatProblem(p)}\n`);
      io.stderr('\nthe fleet config does not validate; nothing was selected\n');
      return 1;
    }
    if (hub !== undefined && cluster === undefined) throw new UsageError('--hub needs --cluster');
    checkTarget(result.fleet, cluster, hub);
    const gkeOnly = v['gke-only'] === true;
    if (gkeOnly && cluster === undefined) throw new UsageError('--gke-only needs --cluster');
    const targets = selectTargets(result.fleet, {
      ...(cluster === undefined ? {} : { cluster }),
      ...(hub === undefined ? {} : { hub }),
      ...(gkeOnly ? { gkeOnly } : {}),
    });
    io.stdout(`${JSON.stringify(targets, null, 2)}\n`);
    if (v['github-output'] === true) {
      const outputFile = io.env.GITHUB_OUTPUT;
      if (outputFile === undefined || outputFile === '') {
        throw new UsageError('--github-output needs $GITHUB_OUTPUT (it is set inside GitHub Actions)');
      }
      // The certificate check runs on GKE clusters only (ManagedCertificates). An empty matrix
      // fails the whole workflow, hence has-clusters (a fleet without clusters yet) and has-gke.
      const gke = { include: targets.clusters.include.filter((c) => c.provider === 'gcp') };
      const mirrored = new Set(
        result.fleet.clusters.filter((c) => c.config.images !== undefined).map((c) => c.config.name),
      );
      const mirror = { include: targets.clusters.include.filter((c) => mirrored.has(c.cluster)) };
      const lines = [
        `clusters=${JSON.stringify(targets.clusters)}`,
        `has-clusters=${targets.clusters.include.length > 0}`,
        `gke-clusters=${JSON.stringify(gke)}`,
        `has-gke=${gke.include.length > 0}`,
        `hub=${JSON.stringify(targets.hub ?? { include: [] })}`,
        `has-hub=${targets.hub !== undefined}`,
        // The image mirroring job runs only on clusters with images.mirror (decision 0060).
        `mirror-clusters=${JSON.stringify(mirror)}`,
        `has-mirror=${mirror.include.length > 0}`,
      ];
      await appendFile(outputFile, `${lines.join('\n')}\n`);
    }
    return 0;
  },
};
