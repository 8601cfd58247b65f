// Child process for bench/cert-check.ts: serves the bench's TLS endpoints from its own process, so
// the handshakes' server side does not share the measured process's event loop (a real load
// balancer is another machine). Prints one JSON line {caPem, connectTo}; then answers each `cpu`
// line on stdin with its own CPU time so far ({"cpuMs": n}), so the bench can say how much of a
// run was computing rather than waiting; exits when stdin closes.
import { createInterface } from 'node:readline';
import { createTestPki, startTlsDouble } from '../test/support/tls-double.js';

const [count = '1000', latency = '0', zone = 'bench.example.org'] = process.argv.slice(2);
const pki = await createTestPki();
const domains = Array.from({ length: Number(count) }, (_, i) => `hub${i}.${zone}`);
const tls = await startTlsDouble(
  pki,
  domains.map((domain) => ({ domain, kind: 'valid' as const, names: [`*.${zone}`] })),
  { latencyMs: Number(latency) },
);
process.stdout.write(`${JSON.stringify({ caPem: pki.caPem, connectTo: tls.connectTo })}\n`);
const requests = createInterface({ input: process.stdin });
requests.on('line', (line) => {
  if (line.trim() !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
requests.on('close', () => {
  void tls.close().then(() => process.exit(0));
});
