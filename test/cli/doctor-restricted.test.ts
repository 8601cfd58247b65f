// `hubfleet doctor` on a cluster behind VPC Service Controls with the restricted Google APIs: the
// real command and adapters against the Google double (Access Context Manager) and a DNS server
// double standing in for the runner's resolver (HUBFLEET_DNS_SERVERS), as a person or the scheduled
// job points them. Each new check passes on the healthy setup and fails with its exact message.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../src/cli.js';
import type { CheckResult } from '../../src/doctor/model.js';
import { type DnsDouble, startDnsDouble } from '../support/dns-double.js';
import { type DohDouble, startDohDouble } from '../support/doh-double.js';
import { type GoogleDouble, startGoogleDouble } from '../support/google-apis-double.js';

const GOOGLE_TOKEN = 'ya29.google-token-canary';
const PERIMETER = 'accessPolicies/555/servicePerimeters/hubs';
const NEW_CHECKS = ['vpc-sc-perimeter', 'restricted-apis-dns'];

let google: GoogleDouble;
let doh: DohDouble;
let dns: DnsDouble;
let work = '';

/** The doctor fixture fleet with pangeo-gcp on the restricted VIP, in a perimeter (`membership`). */
function restrictedFleet(membership: string): void {
  cpSync('test/fixtures/doctor/config', join(work, 'config'), { recursive: true });
  const file = join(work, 'config/clusters/pangeo-gcp/cluster.yaml');
  const text = readFileSync(file, 'utf8').replace(
    '  iapProberServiceAccount:',
    `  restrictedGoogleApis: true\n  vpcServiceControls:\n    perimeter: ${PERIMETER}\n${membership}  iapProberServiceAccount:`,
  );
  writeFileSync(file, text);
}

async function newChecks(env: NodeJS.ProcessEnv = {}): Promise<{ code: number; checks: CheckResult[] }> {
  let stdout = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    cwd: work,
    env: {
      ...google.env,
      HUBFLEET_DOH_URL: doh.url,
      HUBFLEET_DNS_SERVERS: dns.server,
      HUBFLEET_GCP_ACCESS_TOKEN: GOOGLE_TOKEN,
      ...env,
    },
  };
  const code = await main(['doctor', '--cluster', 'pangeo-gcp', '--format', 'json'], io);
  const parsed = JSON.parse(stdout) as { checks: CheckResult[] };
  return { code, checks: parsed.checks.filter((c) => NEW_CHECKS.includes(c.id)) };
}

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-doctor-restricted-'));
  google = await startGoogleDouble({ token: GOOGLE_TOKEN });
  doh = await startDohDouble();
  // The private zone of terraform/gcp/restricted-apis.tf: *.googleapis.com → restricted.googleapis.com.
  dns = await startDnsDouble({
    'restricted.googleapis.com': { a: ['199.36.153.4', '199.36.153.5', '199.36.153.6', '199.36.153.7'] },
    'storage.googleapis.com': { cname: 'restricted.googleapis.com' },
  });
  google.state.perimeters.set(PERIMETER, { resources: ['projects/111', 'projects/123456789012'] });
});

afterEach(async () => {
  await Promise.all([google.close(), doh.close(), dns.close()]);
  rmSync(work, { recursive: true, force: true });
});

const PASSING: CheckResult[] = [
  {
    id: 'vpc-sc-perimeter',
    scope: 'pangeo-gcp',
    status: 'pass',
    message: `projects/123456789012 is a resource of the service perimeter ${PERIMETER}`,
  },
  {
    id: 'restricted-apis-dns',
    scope: 'pangeo-gcp',
    status: 'pass',
    message:
      'storage.googleapis.com resolves to 199.36.153.4, 199.36.153.5, 199.36.153.6, 199.36.153.7, the restricted VIP 199.36.153.4/30, from this runner',
  },
];

const DNS_FIX =
  "run doctor on the cluster's in-VPC runner (network pangeo-vpc), and apply the cluster's Terraform: restricted-apis.tf binds the private zone googleapis.com to that network";

describe('doctor on a restricted cluster', () => {
  it('passes both checks when the project is in the perimeter and the runner resolves into the VIP', async () => {
    restrictedFleet('');
    expect((await newChecks()).checks).toEqual(PASSING);
    const perimeterReads = google.requests.filter((r) => r.service === 'accesscontextmanager');
    expect(perimeterReads.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/${PERIMETER}`]);
    expect(dns.queries.filter((q) => q.type === 'A').map((q) => q.name)).toEqual(['storage.googleapis.com']);
  });

  it('fails vpc-sc-perimeter when the project is not a resource of the perimeter', async () => {
    restrictedFleet('');
    google.state.perimeters.set(PERIMETER, { resources: ['projects/111'] });
    const r = await newChecks();
    expect(r.code).toBe(1);
    expect(r.checks[0]).toEqual({
      id: 'vpc-sc-perimeter',
      scope: 'pangeo-gcp',
      status: 'fail',
      message: `projects/123456789012 is not a resource of the service perimeter ${PERIMETER} (its enforced status lists 1)`,
      fix: 'ask the organisation admin to add it (gcloud access-context-manager perimeters update hubs --policy=555 --add-resources=projects/123456789012), or set gcp.vpcServiceControls.manageMembership: true',
    });
  });

  it('fails on a perimeter without an enforced status, and on one that does not exist', async () => {
    restrictedFleet('');
    google.state.perimeters.set(PERIMETER, {});
    expect((await newChecks()).checks[0]?.message).toBe(
      `projects/123456789012 is not a resource of the service perimeter ${PERIMETER} (its enforced status lists 0)`,
    );
    google.state.perimeters.delete(PERIMETER);
    expect((await newChecks()).checks[0]).toEqual({
      id: 'vpc-sc-perimeter',
      scope: 'pangeo-gcp',
      status: 'fail',
      message: `the service perimeter ${PERIMETER} does not exist`,
      fix: 'check gcp.vpcServiceControls.perimeter in cluster.yaml (accessPolicies/<policy number>/servicePerimeters/<name>)',
    });
  });

  it('skips vpc-sc-perimeter when the credentials may not read the policy, naming the role', async () => {
    restrictedFleet('');
    google.deny.add('accesscontextmanager');
    expect((await newChecks()).checks[0]).toEqual({
      id: 'vpc-sc-perimeter',
      scope: 'pangeo-gcp',
      status: 'skip',
      message: `skipped: the credentials may not read the service perimeter ${PERIMETER} (HTTP 403: Permission denied on resource (or it may not exist).)`,
      fix: 'grant the identity roles/accesscontextmanager.policyReader on accessPolicies/555',
    });
  });

  it('does not check the membership Terraform manages (manageMembership: true)', async () => {
    restrictedFleet('    manageMembership: true\n');
    expect((await newChecks()).checks.map((c) => c.id)).toEqual(['restricted-apis-dns']);
    expect(google.requests.filter((r) => r.service === 'accesscontextmanager')).toEqual([]);
  });

  it('fails restricted-apis-dns when the runner resolves Google APIs to their public addresses', async () => {
    restrictedFleet('');
    dns.set('storage.googleapis.com', { a: ['142.250.72.91'] });
    const r = await newChecks();
    expect(r.code).toBe(1);
    expect(r.checks[1]).toEqual({
      id: 'restricted-apis-dns',
      scope: 'pangeo-gcp',
      status: 'fail',
      message:
        'storage.googleapis.com resolves to 142.250.72.91 from this runner, outside the restricted VIP 199.36.153.4/30: Google API calls leave by the public endpoints',
      fix: DNS_FIX,
    });
  });

  it('fails restricted-apis-dns when the name does not resolve', async () => {
    restrictedFleet('');
    dns.set('storage.googleapis.com', undefined);
    const check = (await newChecks()).checks[1];
    expect(check?.status).toBe('fail');
    expect(check?.message).toMatch(
      /^storage\.googleapis\.com does not resolve from this runner \(nxdomain: /,
    );
    expect(check?.fix).toBe(DNS_FIX);
  });

  it('has neither check on a cluster without the restricted network', async () => {
    cpSync('test/fixtures/doctor/config', join(work, 'config'), { recursive: true });
    expect((await newChecks()).checks).toEqual([]);
  });
});
