// verify-cert's fleet check: N hubs, each with a ManagedCertificate, an Ingress, an A record on a
// local DNS server and its own local TLS endpoint. The check (bounded concurrency, as the action
// runs it) is timed next to a sequential check of the same endpoints in the same run.
//
// Certificate and Ingress status come from two in-memory lists (the action makes two `kubectl`
// list calls per cluster, whatever the fleet size); DNS and TLS go over real loopback sockets.
// Loopback has no round trip, which makes a sequential check look cheaper than on a real network,
// so the figures are given twice: with no added latency, and with each TLS endpoint answering
// after 20 ms, as a load balancer 20 ms away would. The endpoints run in a child process.
import { spawn } from 'node:child_process';
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

const RUNS = 3;
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

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2).padStart(6)} s`;

interface Endpoints {
  caPem: string;
  connectTo: string;
  close(): Promise<void>;
}

/** The TLS endpoints in a child process (see tls-endpoints-process.ts). */
async function startEndpoints(count: number, latencyMs: number): Promise<Endpoints> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'tls-endpoints-process.js');
  const child = spawn(process.execPath, [script, String(count), String(latencyMs), ZONE], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`TLS endpoints process exited (${code ?? 'signal'})`)));
  });
  const { caPem, connectTo } = JSON.parse(first) as { caPem: string; connectTo: string };
  return {
    caPem,
    connectTo,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** Printable lines: parallel vs sequential for 500 endpoints, and 1,000 hubs, at 0 and 20 ms. */
export async function benchCertCheck(): Promise<string[]> {
  const total = 1000;
  const { targets, live } = fleetObjects(total);
  const zone = Object.fromEntries(targets.map((t, i) => [t.domain, { a: [staticIp(i)] }]));
  const dnsDouble = await startDnsDouble(zone);
  const lines = [
    `verify-cert check: cert status + DNS + TLS per hub (median of ${RUNS} runs, concurrency ${CONCURRENCY})`,
  ];
  try {
    for (const latencyMs of [0, 20]) {
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
        const parallel = await timed(() => run(five, CONCURRENCY));
        const sequential = await timed(() => run(five, 1));
        const thousand = await timed(() => run(targets, CONCURRENCY));
        const speedup = sequential / parallel;
        lines.push(
          `  TLS endpoint latency ${latencyMs} ms:`,
          `    500 hubs, sequential (baseline) ${seconds(sequential)}`,
          `    500 hubs, concurrency ${CONCURRENCY}       ${seconds(parallel)}   ${speedup.toFixed(1)}x faster (goal >= 10x: ${speedup >= 10 ? 'met' : 'MISSED'})`,
          `    1,000 hubs, concurrency ${CONCURRENCY}     ${seconds(thousand)}   (goal < 10 s: ${thousand < 10_000 ? 'met' : 'MISSED'})`,
        );
      } finally {
        await tls.close();
      }
    }
  } finally {
    await dnsDouble.close();
  }
  return lines;
}
