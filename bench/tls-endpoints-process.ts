// Child process for bench/cert-check.ts: serves the bench's TLS endpoints from its own process, so
// the handshakes' server side does not share the measured processes' CPU accounting (a real load
// balancer is another machine). Arguments: a file with one domain per line, and the latency in
// ms. Each domain gets its own endpoint, with a certificate for `*.<parent domain>` from a test CA.
// Prints one JSON line {caFile, connectTo}; then answers each `cpu` line on stdin with its own
// CPU time so far ({"cpuMs": n}); exits when stdin closes.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createTestPki, startTlsDouble } from '../test/support/tls-double.js';

const [domainsFile = '', latency = '0'] = process.argv.slice(2);
const domains = readFileSync(domainsFile, 'utf8')
  .split('\n')
  .filter((d) => d !== '');
const pki = await createTestPki();
const tls = await startTlsDouble(
  pki,
  domains.map((domain) => ({
    domain,
    kind: 'valid' as const,
    names: [`*.${domain.split('.').slice(1).join('.')}`],
  })),
  { latencyMs: Number(latency) },
);
process.stdout.write(`${JSON.stringify({ caFile: pki.caFile, connectTo: tls.connectTo })}\n`);
const requests = createInterface({ input: process.stdin });
requests.on('line', (line) => {
  if (line.trim() !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
requests.on('close', () => {
  void tls.close().then(() => process.exit(0));
});
