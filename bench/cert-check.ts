// verify-cert's fleet check, timed as CI runs it: the committed bundle
// (actions/verify-cert/dist/index.js) started cold as a runner starts it, in mode check, on one GKE
// cluster of 1,000 hubs (the synthetic fleet, 2 MB of hub files). Each hub has a ManagedCertificate
// and an Ingress in the Kubernetes API double (read by the real kubectl: two list calls per run),
// an A record on a local DNS server and its own local TLS endpoint, trusted through
// NODE_EXTRA_CA_CERTS. 500 hubs are checked with the action's concurrency next to a sequential
// check (concurrency 1) of the same endpoints in the same run, and then all 1,000 hubs.
//
// Loopback has no round trip, which makes a sequential check look cheaper than on a real network,
// so the figures are given at 0 ms and with each TLS endpoint answering after 5 and 20 ms, as a
// load balancer that far away would. With no latency the sequential check is computing nearly all
// the time, with both TLS ends and the doubles on this machine's cores, and no concurrency can
// beat the CPU. So each run's CPU time is measured (the bundle with its kubectl calls, the TLS
// endpoints' process, the doubles in this process), and the least wall clock it allows is printed.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './clean-env.js';
import { loadFleet } from '../src/config/load.js';
import type { LoadedCluster } from '../src/config/model.js';
import { renderManifests } from '../src/render/manifests.js';
import { startDnsDouble } from '../test/support/dns-double.js';
import { startKubeApiDouble } from '../test/support/kube-api-double.js';
import type { BenchContext, SectionResult, Verdict } from './section.js';
import { writeSyntheticFleet } from './synthetic-fleet.js';

const CONCURRENCY = 32;
const HUBS = 1000;
const LATENCIES_MS = [0, 5, 20];

/** One timed run: wall clock, and the CPU time each side spent in it. */
export interface RunFigures {
  wallMs: number;
  /** The bundle and the kubectl processes it ran. */
  checkerCpuMs: number;
  /** The TLS endpoints' process. */
  endpointsCpuMs: number;
  /** The DNS and Kubernetes API doubles (this process). */
  doublesCpuMs: number;
}

/**
 * The least wall clock the CPU work of a run allows on `cores` cores: all of it spread evenly over
 * every core. A concurrent run close to this floor is bound by the CPU; the sequential wall clock
 * over it is the most any concurrency could gain for that work here.
 */
export function cpuFloorMs(run: RunFigures, cores: number): number {
  return (run.checkerCpuMs + run.endpointsCpuMs + run.doublesCpuMs) / cores;
}

/** CPU time of this process's reaped children (utime + stime of the children, /proc/self/stat). */
async function childrenCpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime
  // are fields 16 and 17, in clock ticks (100 per second on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

interface Endpoints {
  caFile: string;
  connectTo: string;
  /** CPU time the endpoints' process has used so far. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** The TLS endpoints in a child process (see tls-endpoints-process.ts). */
async function startEndpoints(domainsFile: string, latencyMs: number): Promise<Endpoints> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'tls-endpoints-process.js');
  const child = spawn(process.execPath, [script, domainsFile, String(latencyMs)], {
    env: cleanEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  // Lines the child printed and requests waiting for one, matched in order.
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  const early: string[] = [];
  let exited: Error | undefined;
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next === undefined) early.push(line);
    else next.resolve(line);
  });
  child.once('exit', (code) => {
    exited = new Error(`TLS endpoints process exited (${code ?? 'signal'})`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  const nextLine = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const ready = early.shift();
      if (ready !== undefined) resolve(ready);
      else if (exited !== undefined) reject(exited);
      else waiting.push({ resolve, reject });
    });
  const { caFile, connectTo } = JSON.parse(await nextLine()) as { caFile: string; connectTo: string };
  return {
    caFile,
    connectTo,
    cpuMs: async () => {
      child.stdin.write('cpu\n');
      return (JSON.parse(await nextLine()) as { cpuMs: number }).cpuMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** Runs the bundle once; rejects unless every hub checked is ok. */
function runBundle(bundle: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      if (output.length < 20_000) output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`verify-cert bundle exited ${String(code)}:\n${output.slice(-4000)}`));
    });
  });
}

/** Everything a check needs, set up once: fleet on disk, API and DNS doubles, the runner files. */
async function setUp(context: BenchContext): Promise<{
  cluster: LoadedCluster;
  workspace: string;
  domainsFile: string;
  env: NodeJS.ProcessEnv;
  close: () => Promise<void>;
}> {
  const workspace = join(context.scratch, 'cert-check');
  const { configDir } = await writeSyntheticFleet(workspace, 1, HUBS);
  const loaded = await loadFleet(configDir);
  if (!loaded.ok) throw new Error(`synthetic fleet does not load: ${JSON.stringify(loaded.problems[0])}`);
  const cluster = loaded.fleet.clusters[0] as LoadedCluster;
  if (cluster.config.provider !== 'gcp') throw new Error('the synthetic fleet starts with a GKE cluster');

  const api = await startKubeApiDouble();
  const zone: Record<string, { a: string[] }> = {};
  for (const [i, hub] of cluster.hubs.entries()) {
    const ip = `10.0.${Math.floor(i / 256)}.${i % 256}`;
    zone[hub.config.domain] = { a: [ip] };
    for (const object of renderManifests(cluster, hub)) {
      if (object.kind === 'ManagedCertificate') {
        api.put({
          ...object,
          status: {
            certificateStatus: 'Active',
            domainStatus: [{ domain: hub.config.domain, status: 'Active' }],
          },
        });
      } else if (object.kind === 'Ingress') {
        api.put({ ...object, status: { loadBalancer: { ingress: [{ ip }] } } });
      }
    }
  }
  const dns = await startDnsDouble(zone);
  const domainsFile = join(context.scratch, 'cert-check-domains.txt');
  await writeFile(domainsFile, cluster.hubs.map((h) => `${h.config.domain}\n`).join(''));

  const files = join(context.scratch, 'cert-check-runner');
  await mkdir(files, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: files,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(files, 'output'),
    GITHUB_STEP_SUMMARY: join(files, 'summary'),
    GITHUB_REPOSITORY: 'hubfleet-bench/fleet',
    GITHUB_RUN_ID: '1',
    // Nothing here talks to GitHub (report-issues is off); a closed local port makes sure.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: files,
    KUBECONFIG: api.kubeconfigPath,
    KUBECACHEDIR: api.cacheDir,
    INPUT_CLUSTER: cluster.config.name,
    'INPUT_CONFIG-DIR': 'config',
    INPUT_MODE: 'check',
    'INPUT_WAIT-TIMEOUT': '60m',
    'INPUT_MIN-DAYS-VALID': '21',
    'INPUT_DNS-SERVERS': dns.server,
    'INPUT_GITHUB-TOKEN': 'ghs_benchTokenNotUsed00000000000000000000',
    'INPUT_REPORT-ISSUES': 'false',
  };
  return {
    cluster,
    workspace,
    domainsFile,
    env,
    close: async () => {
      await dns.close();
      await api.close();
    },
  };
}

/** Parallel vs sequential for 500 hubs, and 1,000 hubs, at each simulated latency. */
export async function benchCertCheck(context: BenchContext): Promise<SectionResult> {
  const cores = availableParallelism();
  const bundle = join(context.root, 'actions', 'verify-cert', 'dist', 'index.js');
  const setup = await setUp(context);
  const names = setup.cluster.hubs.map((h) => h.config.name);
  const lines = [
    `verify-cert check, the bundle started cold per run (medians; concurrency ${CONCURRENCY}; ${cores} cores)`,
  ];
  const verdicts: Verdict[] = [];
  try {
    for (const latencyMs of LATENCIES_MS) {
      context.progress(`cert-check: ${latencyMs} ms endpoint latency`);
      const tls = await startEndpoints(setup.domainsFile, latencyMs);
      try {
        const env: NodeJS.ProcessEnv = {
          ...setup.env,
          NODE_EXTRA_CA_CERTS: tls.caFile,
          'INPUT_CONNECT-TO': tls.connectTo,
        };
        const check = (hubs: readonly string[], concurrency: number) => async (): Promise<void> => {
          await writeFile(String(env['GITHUB_OUTPUT']), '');
          await writeFile(String(env['GITHUB_STEP_SUMMARY']), '');
          await runBundle(bundle, setup.workspace, {
            ...env,
            INPUT_HUBS: hubs.length === names.length ? 'all' : hubs.join(','),
            INPUT_CONCURRENCY: String(concurrency),
          });
        };
        const measure = async (runs: number, fn: () => Promise<void>): Promise<RunFigures> => {
          const figures: RunFigures[] = [];
          for (let i = 0; i < runs; i++) {
            const before = [await childrenCpuMs(), await tls.cpuMs(), ownCpuMs()] as const;
            const start = performance.now();
            await fn();
            const wallMs = performance.now() - start;
            const after = [await childrenCpuMs(), await tls.cpuMs(), ownCpuMs()] as const;
            figures.push({
              wallMs,
              checkerCpuMs: after[0] - before[0],
              endpointsCpuMs: after[1] - before[1],
              doublesCpuMs: after[2] - before[2],
            });
          }
          figures.sort((a, b) => a.wallMs - b.wallMs);
          return figures[Math.floor(figures.length / 2)] as RunFigures;
        };
        const five = names.slice(0, 500);
        await check(five.slice(0, 20), CONCURRENCY)(); // warm-up: disk cache, kubectl discovery
        // What every run pays whatever it checks: node and the bundle, loading and validating the
        // 1,000-hub config, the kubectl preflight and the two list calls.
        const one = await measure(context.runs, check(five.slice(0, 1), CONCURRENCY));
        const parallel = await measure(context.runs, check(five, CONCURRENCY));
        // A slow baseline is mostly waiting, so 3 runs give a steady median.
        const sequential = await measure(latencyMs === 0 ? context.runs : 3, check(five, 1));
        const speedup = sequential.wallMs / parallel.wallMs;
        const perHubSpeedup = (sequential.wallMs - one.wallMs) / (parallel.wallMs - one.wallMs);
        const floor = cpuFloorMs(parallel, cores);
        const ceiling = sequential.wallMs / floor;
        const cpu = (r: RunFigures): string =>
          `CPU: bundle+kubectl ${seconds(r.checkerCpuMs)}, TLS endpoints ${seconds(r.endpointsCpuMs)}, DNS+API doubles ${seconds(r.doublesCpuMs)}`;
        lines.push(
          `  TLS endpoint latency ${latencyMs} ms:`,
          `    1 hub (start, config, cluster reads) ${seconds(one.wallMs).padStart(8)}   ${cpu(one)}`,
          `    500 hubs, sequential (baseline)      ${seconds(sequential.wallMs).padStart(8)}   ${cpu(sequential)}`,
          `    500 hubs, concurrency ${CONCURRENCY}            ${seconds(parallel.wallMs).padStart(8)}   ${cpu(parallel)}`,
          `      ${speedup.toFixed(1)}x faster as whole processes, ${perHubSpeedup.toFixed(1)}x for the hubs' checks beyond the 1-hub run`,
          `      the concurrent run's CPU work takes at least ${seconds(floor)} on ${cores} cores: no concurrency can beat ${ceiling.toFixed(1)}x here`,
        );
        verdicts.push({
          subject: `verify-cert check of 500 hubs, ${latencyMs} ms endpoint latency`,
          target: '≥ 10x the sequential check',
          measured:
            `${speedup.toFixed(1)}x (${seconds(parallel.wallMs)} vs ${seconds(sequential.wallMs)})` +
            (ceiling < 10 ? `; CPU-bound: at most ${ceiling.toFixed(1)}x is possible on ${cores} cores` : ''),
          met: speedup >= 10,
        });
        if (latencyMs !== 5) {
          const thousand = await measure(context.runs, check(names, CONCURRENCY));
          lines.push(
            `    1,000 hubs, concurrency ${CONCURRENCY}     ${seconds(thousand.wallMs).padStart(8)}`,
          );
          verdicts.push({
            subject: `verify-cert check of 1,000 hubs, ${latencyMs} ms endpoint latency`,
            target: '< 10 s',
            measured: seconds(thousand.wallMs),
            met: thousand.wallMs < 10_000,
          });
        }
      } finally {
        await tls.close();
      }
    }
  } finally {
    await setup.close();
  }
  return { lines, verdicts };
}
