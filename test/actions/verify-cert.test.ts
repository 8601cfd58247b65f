import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { compareActionYml, loadActionYml } from '../../src/action/action-yml.js';
import { createKubeClient, type KubeClient, type KubeRef } from '../../src/adapters/kube.js';
import { loadFleet } from '../../src/config/load.js';
import type { LoadedCluster } from '../../src/config/model.js';
import { renderManifests, type KubeObject } from '../../src/render/manifests.js';
import { verifyCertInputs, verifyCertOutputs } from '../../actions/verify-cert/inputs.js';
import { repoRoot, runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startDnsDouble, type DnsDouble } from '../support/dns-double.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';
import { createTestPki, startTlsDouble, type TestPki, type TlsDouble } from '../support/tls-double.js';

// End to end: the committed bundle, run as a runner runs it, with the real kubectl against the
// Kubernetes API double, a local DNS server, local TLS endpoints (trusted through
// NODE_EXTRA_CA_CERTS, as a runner trusts a CA) and the GitHub double.

const FIXTURE = join(repoRoot, 'test/fixtures/verify-cert/config');
const REPOSITORY = 'hubfleet-org/fleet';
const TOKEN = 'ghs_verifyCertTestToken000000000000000';
const IP: Record<string, string> = { ocean: '203.0.113.10', land: '203.0.113.11', sea: '203.0.113.12' };
const domain = (hub: string): string => `${hub}.hubs.example.org`;

let api: KubeApiDouble;
let kube: KubeClient;
let dns: DnsDouble;
let pki: TestPki;
let tls: TlsDouble;
let gh: GitHubDouble;
let cluster: LoadedCluster;
let cacheDir: string;

/** The workspace files of the fixture config, as runBundle takes them. */
function configFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[join('config', relative(FIXTURE, path))] = readFileSync(path, 'utf8');
    }
  };
  walk(FIXTURE);
  return files;
}

function rendered(hub: string): { certificate: KubeObject; ingress: KubeObject } {
  const h = cluster.hubs.find((x) => x.config.name === hub);
  if (h === undefined) throw new Error(`no hub ${hub}`);
  const objects = renderManifests(cluster, h);
  const find = (kind: string): KubeObject => objects.find((o) => o.kind === kind) as KubeObject;
  return { certificate: find('ManagedCertificate'), ingress: find('Ingress') };
}

const ref = (o: KubeObject): KubeRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  namespace: o.metadata.namespace ?? '',
});

const certStatus = (hub: string, status: string): unknown => ({
  certificateStatus: status === 'Active' ? 'Active' : 'Provisioning',
  domainStatus: [{ domain: domain(hub), status }],
});

/** The hub as deploy-hub leaves it: certificate and Ingress applied by hubfleet, with status. */
async function deployHub(hub: string, status: string): Promise<void> {
  const { certificate, ingress } = rendered(hub);
  await kube.apply(certificate);
  await kube.apply(ingress);
  api.setStatus(ref(certificate), certStatus(hub, status));
  api.setStatus(ref(ingress), { loadBalancer: { ingress: [{ ip: IP[hub] }] } });
}

function verifyCert(inputs: Record<string, string>, connectTo = tls.connectTo): Promise<BundleRun> {
  return runBundle('actions/verify-cert', {
    githubToken: TOKEN,
    files: configFiles(),
    inputs: { cluster: 'pangeo-gcp', 'dns-servers': dns.server, 'connect-to': connectTo, ...inputs },
    env: {
      KUBECONFIG: api.kubeconfigPath,
      KUBECACHEDIR: api.cacheDir,
      NODE_EXTRA_CA_CERTS: pki.caFile,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_RUN_ID: '77',
      HOME: cacheDir,
    },
    timeoutMs: 60_000,
  });
}

const failure = (run: BundleRun): string[] =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

function expectSuccess(run: BundleRun): void {
  if (run.exitCode !== 0) throw new Error(`bundle failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  expect(failure(run)).toEqual([]);
}

/** Table rows of the summary (without header lines). */
const rows = (summary: string): string[] =>
  summary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| hub ') && !l.startsWith('| ---'));

const objectsOf = (kind: string): string[] =>
  api
    .listObjects(kind === 'Ingress' ? 'networking.k8s.io/v1' : 'networking.gke.io/v1', kind)
    .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for ${what}; requests: ${api.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`).join('\n')}`,
  );
}

describe('verify-cert action declarations', () => {
  it('action.yml and inputs.ts declare the same inputs and outputs', async () => {
    const yml = await loadActionYml(`${repoRoot}/actions/verify-cert/action.yml`);
    expect(compareActionYml(yml, verifyCertInputs, verifyCertOutputs)).toEqual([]);
  });
});

describeWithKubectl('verify-cert bundle', () => {
  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'verify-cert-home-'));
    const loaded = await loadFleet(FIXTURE);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    cluster = loaded.fleet.clusters[0] as LoadedCluster;
    pki = await createTestPki();
    gh = await startGitHubDouble({ repository: REPOSITORY, token: TOKEN });
    tls = await startTlsDouble(pki, [
      { domain: domain('ocean'), kind: 'valid' },
      { domain: domain('land'), kind: 'expiring-5d' },
      { domain: domain('sea'), kind: 'valid' },
    ]);
  });
  afterAll(async () => {
    await Promise.all([gh.close(), tls.close()]);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    api = await startKubeApiDouble();
    kube = createKubeClient({ kubeconfig: api.kubeconfigPath, log: () => undefined });
    process.env['KUBECACHEDIR'] = api.cacheDir;
    for (const hub of ['ocean', 'land', 'sea']) {
      await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: hub } });
    }
    dns = await startDnsDouble({
      [domain('ocean')]: { a: [IP['ocean'] ?? ''] },
      [domain('land')]: { a: [IP['land'] ?? ''], aaaa: ['2001:db8::11'] },
      // A proxied DNS provider: the A record is the proxy's address, not the static IP.
      [domain('sea')]: { a: ['198.51.100.20'] },
    });
  });
  afterEach(async () => {
    await Promise.all([api.close(), dns.close()]);
  });

  it('check: one row per hub with status, DNS, TLS, days left, verdict and what to do; fails naming the failing hubs', async () => {
    await deployHub('ocean', 'Active');
    await deployHub('land', 'Active');
    await deployHub('sea', 'FailedNotVisible');
    const start = api.requests.length;
    const run = await verifyCert({ hubs: 'all', mode: 'check' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ 'failing-hubs': '["land","sea"]', verdict: 'fail' });
    const oceanCert = rendered('ocean').certificate.metadata.name;
    expect(oceanCert).toMatch(/^ocean-cert-[0-9a-f]{8}$/);
    expect(rows(run.summary)).toEqual([
      `| land | land.hubs.example.org | Active | land.hubs.example.org: Active | A 203.0.113.11; AAAA 2001:db8::11 | ok | 4 | ❌ fail | delete the AAAA record(s) of land.hubs.example.org |`,
      `| ocean | ocean.hubs.example.org | Active | ocean.hubs.example.org: Active | A 203.0.113.10 | ok | 89 | ✅ ok |  |`,
      // FailedNotVisible on a certificate minutes old is Google still retrying (a warning); the DNS
      // finding is what fails, and what to do is its fix, not recreate-cert.
      `| sea | sea.hubs.example.org | Provisioning | sea.hubs.example.org: FailedNotVisible | A 198.51.100.20 | ok | 89 | ❌ fail | make sea.hubs.example.org an A record sea.hubs.example.org → 203.0.113.12 (DNS only, no proxy) |`,
    ]);
    expect(run.summary).toContain('### ❌ pangeo-gcp: certificates failing on 2 of 3 hubs');
    expect(run.summary).toContain(
      '- **fail** (tls): the certificate served for land.hubs.example.org expires in 4 days',
    );
    expect(run.summary).toContain(
      '- **fail** (dns): sea.hubs.example.org resolves to 198.51.100.20, not the static IP 203.0.113.12 (a stale record, or a proxied DNS provider answering with its own address)',
    );
    expect(failure(run)).toEqual([
      'pangeo-gcp: certificates failing on 2 of 3 hubs; the job summary lists each failing hub with what to do',
    ]);
    // Two list calls for the whole cluster, nothing per hub, nothing written.
    const during = api.requests.slice(start);
    expect(during.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(
      during
        .filter((r) => /ingresses|managedcertificates/.test(r.path))
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/apis/networking.gke.io/v1/managedcertificates', '/apis/networking.k8s.io/v1/ingresses']);
  });

  it('scheduled check: opens one issue per failing hub and closes it after recovery', async () => {
    await deployHub('ocean', 'Active');
    await deployHub('land', 'Active');
    await deployHub('sea', 'FailedNotVisible');
    const first = await verifyCert({ hubs: 'all', mode: 'check', 'report-issues': 'true' });
    expect(first.exitCode).toBe(1);
    const issues = (): { title: string; state: string }[] =>
      gh.state.issues.map((i) => ({ title: i.title, state: i.state }));
    expect(issues()).toEqual([
      { title: 'Certificate of pangeo-gcp/land (land.hubs.example.org) is failing', state: 'open' },
      { title: 'Certificate of pangeo-gcp/sea (sea.hubs.example.org) is failing', state: 'open' },
    ]);
    expect(gh.state.issues.map((i) => (i.body ?? '').split('\n')[0])).toEqual([
      '<!-- hubfleet:issue:cert:pangeo-gcp/land -->',
      '<!-- hubfleet:issue:cert:pangeo-gcp/sea -->',
    ]);

    // The operator fixes DNS, the certificate turns Active, land gets a renewed certificate.
    dns.set(domain('land'), { a: [IP['land'] ?? ''] });
    dns.set(domain('sea'), { a: [IP['sea'] ?? ''] });
    api.setStatus(ref(rendered('sea').certificate), certStatus('sea', 'Active'));
    const renewed = await startTlsDouble(pki, [{ domain: domain('land'), kind: 'valid' }]);
    try {
      const connectTo = tls.connectTo
        .split('\n')
        .filter((l) => !l.startsWith(domain('land')))
        .concat(renewed.connectTo)
        .join('\n');
      const second = await verifyCert({ hubs: 'all', mode: 'check', 'report-issues': 'true' }, connectTo);
      expectSuccess(second);
      expect(second.outputs).toEqual({ 'failing-hubs': '[]', verdict: 'pass' });
    } finally {
      await renewed.close();
    }
    // The token never reaches a channel a person reads.
    const channels = [
      first.summary,
      JSON.stringify(first.outputs),
      ...gh.state.issues.map((i) => i.body ?? ''),
      ...gh.state.comments.map((c) => c.body ?? ''),
    ];
    expect(channels.filter((text) => text.includes(TOKEN))).toEqual([]);
    expect(first.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    expect(issues()).toEqual([
      { title: 'Certificate of pangeo-gcp/land (land.hubs.example.org) is failing', state: 'closed' },
      { title: 'Certificate of pangeo-gcp/sea (sea.hubs.example.org) is failing', state: 'closed' },
    ]);
  });

  it('wait: sees Active from the watch with at most 3 API requests for the transition, resuming a dropped watch', async () => {
    dns.set(domain('sea'), { a: [IP['sea'] ?? ''] });
    await deployHub('sea', 'Provisioning');
    const cert = ref(rendered('sea').certificate);
    // The first watch connection drops after one event: the wait must resume from its version.
    api.inject({
      dropWatchAfterEvents: 1,
      times: 1,
      match: { watch: true, pathIncludes: 'managedcertificates' },
    });
    const running = verifyCert({ hubs: 'sea', mode: 'wait', 'wait-timeout': '2m' });
    const watches = (): number =>
      api.requests.filter((r) => r.query['watch'] === 'true' && r.path.includes('managedcertificates'))
        .length;
    await until(() => watches() === 1, 'the first watch');
    // Event 1 (the CA rate-limits for a while: still waiting), then the connection drops.
    api.setStatus(cert, certStatus('sea', 'FailedRateLimited'));
    await until(() => watches() === 2, 'the resumed watch');
    const before = api.requests.length;
    api.setStatus(cert, certStatus('sea', 'Active'));
    const run = await running;
    expectSuccess(run);
    expect(run.outputs).toEqual({ 'failing-hubs': '[]', verdict: 'pass' });
    const transition = api.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    // After the status change: at most the reads of the make-before-break finish (Ingress get,
    // certificate list), no new watch and no polling of the certificate.
    expect(transition.length).toBeLessThanOrEqual(3);
    expect(transition).toEqual([
      'GET /apis/networking.k8s.io/v1/namespaces/sea/ingresses/sea',
      'GET /apis/networking.gke.io/v1/namespaces/sea/managedcertificates',
    ]);
    expect(transition.filter((r) => r.includes('managedcertificates/sea-cert'))).toEqual([]);
    const resumed = api.requests.filter(
      (r) => r.query['watch'] === 'true' && r.path.includes('managedcertificates'),
    );
    expect(resumed[1]?.query['resourceVersion']).toMatch(/^\d+$/);
    expect(run.stdout).toContain('reconnecting from resourceVersion');
  });

  it('wait: ProvisioningFailed with FailedNotVisible while the load balancer is built, then Active, passes', async () => {
    await deployHub('sea', 'Provisioning');
    const cert = ref(rendered('sea').certificate);
    const running = verifyCert({ hubs: 'sea', mode: 'wait', 'wait-timeout': '2m' });
    await until(
      () => api.requests.some((r) => r.query['watch'] === 'true' && r.path.includes('managedcertificates')),
      'the watch',
    );
    // Google retries these while the new load balancer is built (SSL certificate troubleshooting).
    api.setStatus(cert, {
      certificateStatus: 'ProvisioningFailed',
      domainStatus: [{ domain: domain('sea'), status: 'FailedNotVisible' }],
    });
    await until(() => api.getObject(cert)?.['status'] !== undefined, 'the failed status');
    await new Promise((r) => setTimeout(r, 300));
    api.setStatus(cert, certStatus('sea', 'Active'));
    const run = await running;
    expectSuccess(run);
    expect(run.outputs).toEqual({ 'failing-hubs': '[]', verdict: 'pass' });
    expect(run.stdout).toContain(
      `sea: ManagedCertificate sea/${cert.name}: sea.hubs.example.org: FailedNotVisible — Google's CA cannot reach the domain through the load balancer yet (it retries while the load balancer is built and DNS propagates), waiting`,
    );
    expect(rows(run.summary)).toEqual([`| sea | ${cert.name} | ✅ Active | Active |  |  |`]);
  });

  it('wait after a domain change: keeps the old certificate until the new one is Active, then drops it', async () => {
    const { certificate, ingress } = rendered('ocean');
    // What deploy-hub leaves during a domain change: the old certificate still on the Ingress.
    const old: KubeObject = {
      ...certificate,
      metadata: { ...certificate.metadata, name: 'ocean-cert' },
      spec: { domains: ['ocean.old.example.org'] },
    };
    await kube.apply(old);
    api.setStatus(ref(old), { certificateStatus: 'Active' });
    await kube.apply(certificate);
    const annotations = ingress.metadata.annotations ?? {};
    await kube.apply({
      ...ingress,
      metadata: {
        ...ingress.metadata,
        annotations: {
          ...annotations,
          'networking.gke.io/managed-certificates': `${certificate.metadata.name},ocean-cert`,
        },
      },
    });
    api.setStatus(ref(certificate), certStatus('ocean', 'Active'));
    const run = await verifyCert({ hubs: 'ocean', mode: 'wait' });
    expectSuccess(run);
    expect(objectsOf('ManagedCertificate')).toEqual([`ocean/${certificate.metadata.name}`]);
    expect(
      api.getObject(ref(ingress))?.metadata.annotations?.['networking.gke.io/managed-certificates'],
    ).toBe(certificate.metadata.name);
    expect(rows(run.summary)).toEqual([
      `| ocean | ${certificate.metadata.name} | ✅ Active | Active | ocean-cert |  |`,
    ]);
  });

  it('recreate refuses, deleting nothing, when the Ingress is not hubfleet’s', async () => {
    await deployHub('sea', 'FailedNotVisible');
    const { ingress } = rendered('sea');
    // Someone replaced the Ingress by hand: no hubfleet labels, no hubfleet field manager.
    api.remove(ref(ingress));
    api.put({ ...ingress, metadata: { name: 'sea', namespace: 'sea' } });
    const start = api.requests.length;
    const run = await verifyCert({ hubs: 'sea', mode: 'recreate', 'gcp-access-token': 'ya29.unused' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toEqual([
      "recreate refused for hub sea, nothing was changed: Ingress sea/sea is not hubfleet's (label app.kubernetes.io/managed-by=hubfleet is missing); hubfleet deletes only what it applied; delete or adopt those objects by hand (e.g. re-deploy with deploy-hub), then run recreate-cert again",
    ]);
    expect(api.requests.slice(start).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses unknown hubs and an unknown cluster with a guess and the names there are, and no cluster request', async () => {
    const start = api.requests.length;
    const hubs = await verifyCert({ hubs: 'sae,nope', mode: 'check' });
    expect(hubs.exitCode).toBe(1);
    expect(failure(hubs)).toEqual([
      'cluster pangeo-gcp has no hub named sae (did you mean sea?), nope; hubs of pangeo-gcp: land, ocean, sea; or use all',
    ]);
    const clusters = await verifyCert({ cluster: 'pangeo-gpc', hubs: 'all', mode: 'check' });
    expect(clusters.exitCode).toBe(1);
    expect(failure(clusters)).toEqual([
      'no cluster named pangeo-gpc in config (did you mean pangeo-gcp?); use one of: pangeo-gcp',
    ]);
    expect(api.requests.length).toBe(start);
  });

  it('bad inputs: one error naming each, and no cluster request', async () => {
    const start = api.requests.length;
    const run = await verifyCert(
      { hubs: 'sea,land', mode: 'recreate', 'dns-servers': 'dns.google' },
      'ocean:443:127.0.0.1',
    );
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toEqual([
      '4 invalid inputs: input "hubs": recreate repairs one hub at a time; name exactly one; input "gcp-access-token": required in mode recreate (it waits until Compute has deleted the old SslCertificate, and re-pins the IAP audience of the new backend service); input dns-servers: "dns.google" is not an IP address with an optional port; input connect-to: line 1 "ocean:443:127.0.0.1": expected 4 fields separated by ":", found 3; fix the step\'s `with:` block (each input is described in the action\'s action.yml)',
    ]);
    expect(api.requests.length).toBe(start);
  });
});
