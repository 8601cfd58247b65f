// verify-cert's fleet check: N hubs, each with a ManagedCertificate, an Ingress, an A record on a
// local DNS server and its own local TLS endpoint. The check (bounded concurrency, as the action
// runs it) is timed next to a sequential check of the same endpoints in the same run.
//
// Certificate and Ingress status come from two in-memory lists (the action makes two `kubectl`
// list calls per cluster, whatever the fleet size); DNS and TLS go over real loopback sockets.
// Loopback has no round trip, which makes a sequential check look cheaper than on a real network,
// so the figures are given at 0 ms and with each TLS endpoint answering after 5 and 20 ms, as a
// load balancer that far away would. The endpoints run in a child process. With no latency the
// sequential check is computing nearly all the time (both TLS ends on this machine), and no
// concurrency can beat the CPU: each run's CPU time is measured, and the bound it sets is printed.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseConnectTo } from '../src/adapters/connect-to.js';
import { createDnsAdapter } from '../src/adapters/dns.js';
import { probeTls } from '../src/adapters/tls.js';
import { checkHubs, type CheckTarget } from '../src/cert/check.js';
import type { KubeObject } from '../src/render/manifests.js';
import { startDnsDouble } from '../test/support/dns-double.js';
import type { SectionResult, Verdict } from './section.js';

const CONCURRENCY = 32;
const ZONE = 'bench.example.org';

const staticIp = (i: number): string =>
  `10.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}`;

function fleetObjects(n: number): { targets: CheckTarget[]; live: KubeObject[] } {
  const targets: CheckTarget[] = [];
  const live: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const hub = `hub${i}`;
    const domain = `${hub}.${ZONE}`;
    const certificate: KubeObject = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      metadata: { name: `${hub}-cert`, namespace: hub },
      spec: { domains: [domain] },
    };
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: hub,
        namespace: hub,
        annotations: { 'networking.gke.io/managed-certificates': `${hub}-cert` },
      },
    };
    targets.push({ cluster: 'bench', hub, domain, certificate, ingress });
    live.push({
      ...certificate,
      status: { certificateStatus: 'Active', domainStatus: [{ domain, status: 'Active' }] },
    });
    live.push({ ...ingress, status: { loadBalancer: { ingress: [{ ip: staticIp(i) }] } } });
  }
  return { targets, live };
}

/** One timed run: wall clock, and CPU time of this process and of the endpoints' process. */
interface RunFigures {
  wallMs: number;
  clientCpuMs: number;
  serverCpuMs: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** The run with the median wall clock of `runs`. */
async function measure(endpoints: Endpoints, runs: number, fn: () => Promise<unknown>): Promise<RunFigures> {
  const figures: RunFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const [client0, server0] = [cpuMs(), await endpoints.cpuMs()];
    const start = performance.now();
    await fn();
    const wallMs = performance.now() - start;
    const [client1, server1] = [cpuMs(), await endpoints.cpuMs()];
    figures.push({ wallMs, clientCpuMs: client1 - client0, serverCpuMs: server1 - server0 });
  }
  figures.sort((a, b) => a.wallMs - b.wallMs);
  return figures[Math.floor(figures.length / 2)] as RunFigures;
}

/**
 * The least wall clock the CPU work of a run allows on this machine: not less than the busier
 * process's CPU time (each is one event loop), nor less than all of it spread over every core.
 * A concurrent run close to this floor is bound by the CPU, and more concurrency cannot help; the
 * sequential wall clock over this floor is the most any concurrency could gain for that work.
 */
export function cpuFloorMs(run: RunFigures, cores: number): number {
  return Math.max((run.clientCpuMs + run.serverCpuMs) / cores, run.clientCpuMs, run.serverCpuMs);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2).padStart(6)} s`;

interface Endpoints {
  caPem: string;
  connectTo: string;
  /** CPU time the endpoints' process has used so far. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** The TLS endpoints in a child process (see tls-endpoints-process.ts). */
async function startEndpoints(count: number, latencyMs: number): Promise<Endpoints> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'tls-endpoints-process.js');
  const child = spawn(process.execPath, [script, String(count), String(latencyMs), ZONE], {
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
  const { caPem, connectTo } = JSON.parse(await nextLine()) as { caPem: string; connectTo: string };
  return {
    caPem,
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

const LATENCIES_MS = [0, 5, 20];

/** Parallel vs sequential for 500 endpoints, and 1,000 hubs, at each simulated latency. */
export async function benchCertCheck(runs: number): Promise<SectionResult> {
  const total = 1000;
  const cores = availableParallelism();
  const { targets, live } = fleetObjects(total);
  const zone = Object.fromEntries(targets.map((t, i) => [t.domain, { a: [staticIp(i)] }]));
  const dnsDouble = await startDnsDouble(zone);
  const lines = [
    `verify-cert check: cert status + DNS + TLS per hub (medians; concurrency ${CONCURRENCY}; ${cores} cores)`,
  ];
  const verdicts: Verdict[] = [];
  try {
    for (const latencyMs of LATENCIES_MS) {
      const tls = await startEndpoints(total, latencyMs);
      try {
        const connectTo = parseConnectTo(tls.connectTo);
        const dns = createDnsAdapter({ servers: [dnsDouble.server], timeoutMs: 5000, tries: 2 });
        const run = async (list: readonly CheckTarget[], concurrency: number): Promise<void> => {
          const verdicts = await checkHubs(
            {
              kube: { list: (_v, kind) => Promise.resolve(live.filter((o) => o.kind === kind)) },
              dns,
              // The test CA through the adapter's `ca` option: NODE_EXTRA_CA_CERTS is read at start.
              probeTls: (opts) => probeTls({ ...opts, ca: tls.caPem }),
              now: () => new Date(),
            },
            list,
            { concurrency, minDaysValid: 21, connectTo, tlsTimeoutMs: 10_000, log: () => undefined },
          );
          const bad = verdicts.filter((v) => v.verdict !== 'ok');
          if (bad.length > 0)
            throw new Error(`bench hub ${bad[0]?.hub} is not ok: ${bad[0]?.findings[0]?.message ?? ''}`);
        };
        const five = targets.slice(0, 500);
        await run(five.slice(0, 20), CONCURRENCY); // warm-up
        const parallel = await measure(tls, runs, () => run(five, CONCURRENCY));
        // A slow baseline is mostly waiting, so 3 runs give a steady median.
        const sequential = await measure(tls, latencyMs === 0 ? runs : 3, () => run(five, 1));
        const speedup = sequential.wallMs / parallel.wallMs;
        const floor = cpuFloorMs(parallel, cores);
        const ceiling = sequential.wallMs / floor;
        const cpu = (r: RunFigures): string =>
          `CPU ${seconds(r.clientCpuMs)} checker + ${seconds(r.serverCpuMs)} endpoints`;
        lines.push(
          `  TLS endpoint latency ${latencyMs} ms:`,
          `    500 hubs, sequential (baseline) ${seconds(sequential.wallMs)}   ${cpu(sequential)}`,
          `    500 hubs, concurrency ${CONCURRENCY}       ${seconds(parallel.wallMs)}   ${cpu(parallel)}; ${speedup.toFixed(1)}x faster`,
          `      this CPU work takes at least ${seconds(floor).trim()} on ${cores} cores: no concurrency can beat ${ceiling.toFixed(1)}x here`,
        );
        verdicts.push({
          subject: `verify-cert check of 500 hubs, ${latencyMs} ms endpoint latency`,
          target: '≥ 10x the sequential check',
          measured:
            `${speedup.toFixed(1)}x (${seconds(parallel.wallMs).trim()} vs ${seconds(sequential.wallMs).trim()})` +
            (ceiling < 10
              ? `; CPU-bound: its CPU work takes at least ${seconds(floor).trim()} on ${cores} cores, so at most ${ceiling.toFixed(1)}x is possible here`
              : ''),
          met: speedup >= 10,
        });
        if (latencyMs !== 5) {
          const thousand = await measure(tls, runs, () => run(targets, CONCURRENCY));
          lines.push(`    1,000 hubs, concurrency ${CONCURRENCY}     ${seconds(thousand.wallMs)}`);
          verdicts.push({
            subject: `verify-cert check of 1,000 hubs, ${latencyMs} ms endpoint latency`,
            target: '< 10 s',
            measured: seconds(thousand.wallMs).trim(),
            met: thousand.wallMs < 10_000,
          });
        }
      } finally {
        await tls.close();
      }
    }
  } finally {
    await dnsDouble.close();
  }
  return { lines, verdicts };
}
