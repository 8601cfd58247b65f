// Wall-clock of a fleet-wide deploy (hubfleet:deploy-all), from the concurrency settings.
//
// Clusters deploy in parallel (each has its own runner scale set and concurrency group); inside a
// cluster the jobs run in order (apply-iam → staging → prod → certificates), and a stage job
// deploys its hubs in waves of deploy-hub's `concurrency`. So the fleet takes as long as its
// slowest cluster:
//
//   T = max over clusters of  jobs·runnerStart + apply + ⌈S/k⌉·h + smoke + ⌈P/k⌉·h + smoke + certs
//
// with S, P the cluster's staging and prod hubs, k the concurrency and h the time helm takes per
// hub. Two parts check the model: a simulation of the schedule on the planner's real matrices for
// the synthetic 1,000-hub fleet, and one cluster deployed with real fake-helm processes that each
// take a fixed time, run through the same bounded pool, whose measured time is compared with the
// model's.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { cleanEnv } from './clean-env.js';
import { loadFleet } from '../src/config/load.js';
import { LABEL_DEPLOY_ALL, planChanges, toMatrices, type ChangeMatrices } from '../src/plan/change-plan.js';
import { writeSyntheticFleet } from './synthetic-fleet.js';

const run = promisify(execFile);

/** Minutes. Defaults are typical figures for a z2jh/daskhub upgrade on a warm GKE/EKS cluster. */
export interface DeployTimings {
  /** helm upgrade --wait plus the rollout check, per hub. */
  perHub: number;
  /** An ephemeral runner pod scheduled and registered, per job. */
  runnerStart: number;
  /** terraform apply of the reviewed IAM plan. */
  apply: number;
  /** smoke-iap over the stage's hubs (they are probed concurrently). */
  smoke: number;
  /** verify-cert wait when every certificate is already Active (a new one can take up to 60). */
  certificates: number;
}

export const TYPICAL: DeployTimings = { perHub: 3, runnerStart: 1, apply: 2, smoke: 1, certificates: 1 };

interface ClusterLoad {
  cluster: string;
  staging: number;
  prod: number;
  concurrency: number;
}

function clusterLoads(matrices: ChangeMatrices): ClusterLoad[] {
  const loads = new Map<string, ClusterLoad>();
  const load = (cluster: string, concurrency: number): ClusterLoad => {
    const l = loads.get(cluster) ?? { cluster, staging: 0, prod: 0, concurrency };
    loads.set(cluster, l);
    return l;
  };
  for (const r of matrices.staging.include) load(r.cluster, r.concurrency).staging += r.hubCount;
  for (const r of matrices.prod.include) load(r.cluster, r.concurrency).prod += r.hubCount;
  return [...loads.values()];
}

/** The model above, for one cluster. */
export function clusterMinutes(load: ClusterLoad, t: DeployTimings): number {
  const waves = (n: number): number => Math.ceil(n / load.concurrency);
  const jobs = 2 + (load.staging > 0 ? 1 : 0) + (load.prod > 0 ? 1 : 0); // apply-iam, certificates, stages
  return (
    jobs * t.runnerStart +
    t.apply +
    (load.staging > 0 ? waves(load.staging) * t.perHub + t.smoke : 0) +
    (load.prod > 0 ? waves(load.prod) * t.perHub + t.smoke : 0) +
    t.certificates
  );
}

/**
 * Event simulation of the schedule: per cluster, each job waits for the one before it; inside a
 * stage job a pool of `concurrency` slots takes the next hub as soon as a slot frees.
 */
export function simulateMinutes(loads: readonly ClusterLoad[], t: DeployTimings): number {
  const pool = (hubs: number, slots: number): number => {
    const free = new Array<number>(Math.min(slots, Math.max(hubs, 1))).fill(0);
    for (let i = 0; i < hubs; i++) {
      free.sort((a, b) => a - b);
      free[0] = (free[0] ?? 0) + t.perHub;
    }
    return Math.max(0, ...free);
  };
  let fleet = 0;
  for (const l of loads) {
    let clock = t.runnerStart + t.apply;
    if (l.staging > 0) clock += t.runnerStart + pool(l.staging, l.concurrency) + t.smoke;
    if (l.prod > 0) clock += t.runnerStart + pool(l.prod, l.concurrency) + t.smoke;
    clock += t.runnerStart + t.certificates;
    fleet = Math.max(fleet, clock);
  }
  return fleet;
}

/** Runs `hubs` fake-helm processes through a pool of `concurrency`; returns elapsed ms. */
async function fakeHelmDeploy(
  helm: string,
  hubs: number,
  concurrency: number,
  perHubMs: number,
): Promise<number> {
  const queue = Array.from({ length: hubs }, (_, i) => `hub-${i}`);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let hub = queue.shift(); hub !== undefined; hub = queue.shift()) {
        await run(process.execPath, [helm, 'upgrade', '--install', hub, '--wait'], {
          env: cleanEnv({ FAKE_HELM_MS: String(perHubMs) }),
        });
      }
    }),
  );
  return performance.now() - start;
}

export async function benchFleetDeploy(
  options: { clusters?: number; hubsPerCluster?: number; timings?: DeployTimings } = {},
): Promise<string[]> {
  const clusters = options.clusters ?? 100;
  const hubsPerCluster = options.hubsPerCluster ?? 10;
  const t = options.timings ?? TYPICAL;
  const root = await mkdtemp(join(tmpdir(), 'hubfleet-fleet-deploy-'));
  try {
    const synthetic = await writeSyntheticFleet(root, clusters, hubsPerCluster);
    const loaded = await loadFleet(synthetic.configDir, { displayRoot: root });
    if (!loaded.ok) throw new Error('the synthetic fleet does not validate');
    const matrices = toMatrices(planChanges([], [LABEL_DEPLOY_ALL], loaded.fleet), loaded.fleet);
    const loads = clusterLoads(matrices);
    const k = loads[0]?.concurrency ?? 0;
    const modelled = Math.max(...loads.map((l) => clusterMinutes(l, t)));
    const simulated = simulateMinutes(loads, t);

    // One cluster's two stage jobs with real processes: a fake helm that takes a fixed time.
    const helm = join(root, 'fake-helm.mjs');
    await writeFile(helm, 'setTimeout(() => {}, Number(process.env.FAKE_HELM_MS ?? 0));\n');
    await chmod(helm, 0o755);
    const perHubMs = 150;
    const first = loads[0] ?? { cluster: '-', staging: 0, prod: 0, concurrency: 1 };
    const deployBoth = async (ms: number): Promise<number> =>
      (await fakeHelmDeploy(helm, first.staging, first.concurrency, ms)) +
      (await fakeHelmDeploy(helm, first.prod, first.concurrency, ms));
    // Baseline in the same run: the same processes with no helm time, i.e. process start-up alone.
    // Medians of interleaved runs, so a busy moment on the machine weighs on both alike.
    const startups: number[] = [];
    const measurements: number[] = [];
    for (let i = 0; i < 5; i++) {
      startups.push(await deployBoth(0));
      measurements.push(await deployBoth(perHubMs));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const startup = median(startups);
    const measured = median(measurements);
    const expectedMs =
      (Math.ceil(first.staging / first.concurrency) + Math.ceil(first.prod / first.concurrency)) * perHubMs;

    const rows = (name: keyof ChangeMatrices): number => matrices[name].include.length;
    return [
      `fleet-wide deploy (deploy-all), ${clusters} clusters × ${hubsPerCluster} hubs, deploy-hub concurrency ${k}`,
      `  matrices: clusters ${rows('clusters')}, staging ${rows('staging')}, prod ${rows('prod')}, certificates ${rows('certificates')} jobs (limit 256)`,
      `  timings (min): helm/hub ${t.perHub}, runner start ${t.runnerStart}, apply ${t.apply}, smoke ${t.smoke}, certificates ${t.certificates}`,
      `  expected wall-clock (model)      ${modelled.toFixed(1).padStart(6)} min`,
      `  simulated schedule               ${simulated.toFixed(1).padStart(6)} min`,
      `  serial, one hub at a time        ${(loads.reduce((n, l) => n + l.staging + l.prod, 0) * t.perHub).toFixed(0).padStart(6)} min (baseline)`,
      `  one cluster, real fake-helm processes (${perHubMs} ms/hub, ${first.staging}+${first.prod} hubs): median measured ${measured.toFixed(0)} ms, start-up baseline ${startup.toFixed(0)} ms, measured − baseline ${(measured - startup).toFixed(0)} ms vs model ${expectedMs} ms`,
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
