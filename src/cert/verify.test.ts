import { describe, expect, it } from '@jest/globals';
import type { GitHubClient, Issue } from '../adapters/github.js';
import type { TlsProbe } from '../adapters/tls.js';
import { gcpBasehub, gcpCluster } from '../../test/fixtures/render/fleet.js';
import { hubObjects, runCheck } from './verify.js';

const [staging] = hubObjects(gcpCluster, [gcpBasehub]);
const DOMAIN = gcpBasehub.config.domain;
const IP = '203.0.113.10';

/** Issues in memory: only the calls upsertIssue makes. */
function issuesInMemory(existing: Issue[]): { gh: GitHubClient; calls: string[] } {
  const calls: string[] = [];
  const gh = {
    repository: 'o/r',
    listIssuesByLabel: (label: string) => {
      calls.push(`list ${label}`);
      return Promise.resolve(existing);
    },
    createIssueComment: (n: number) => {
      calls.push(`comment #${n}`);
      return Promise.resolve({ id: 1, body: '', createdAt: '', htmlUrl: '' });
    },
    updateIssue: (n: number, patch: { state?: string }) => {
      calls.push(`update #${n} ${patch.state ?? ''}`);
      return Promise.resolve(existing[0] as Issue);
    },
  } as unknown as GitHubClient;
  return { gh, calls };
}

const servedOk: TlsProbe = {
  state: 'handshake',
  domain: DOMAIN,
  via: `${IP}:443`,
  certificate: {
    subject: '',
    issuer: '',
    san: [DOMAIN],
    validFrom: '',
    validTo: '',
    daysLeft: 60,
    fingerprint256: '',
  },
  problems: [],
};
const servedNothing: TlsProbe = {
  state: 'failed',
  domain: DOMAIN,
  via: `${IP}:443`,
  reason: 'handshake',
  message: 'no certificate yet',
};

function deps(certificateStatus: string, gh: GitHubClient, tls: TlsProbe) {
  if (staging === undefined) throw new Error('no hub');
  return {
    kube: {
      list: (_v: string, kind: string) =>
        Promise.resolve(
          kind === 'Ingress'
            ? [{ ...staging.ingress, status: { loadBalancer: { ingress: [{ ip: IP }] } } }]
            : [
                {
                  ...staging.certificate,
                  metadata: { ...staging.certificate.metadata, creationTimestamp: new Date().toISOString() },
                  status: {
                    certificateStatus,
                    domainStatus: [{ domain: DOMAIN, status: certificateStatus }],
                  },
                },
              ],
        ),
    },
    dns: {
      lookup: () =>
        Promise.resolve({ state: 'resolved' as const, domain: DOMAIN, a: [IP], aaaa: [], cname: [] }),
    },
    probeTls: () => Promise.resolve(tls),
    now: () => new Date(),
    github: gh,
  };
}

const opts = {
  concurrency: 4,
  minDaysValid: 21,
  connectTo: [],
  tlsTimeoutMs: 1000,
  log: () => undefined,
  reportIssues: true,
};
const openIssue: Issue = {
  number: 7,
  title: 't',
  body: `<!-- hubfleet:issue:cert:pangeo-gcp/${gcpBasehub.config.name} -->\nbroken`,
  state: 'open',
  labels: ['hubfleet'],
  createdAt: '',
  htmlUrl: '',
};

describe('runCheck issues', () => {
  const hubs = staging === undefined ? [] : [staging];
  it('closes the open issue of a hub that is no longer in the config, and only that one', async () => {
    const removed: Issue = {
      ...openIssue,
      number: 9,
      body: '<!-- hubfleet:issue:cert:pangeo-gcp/gone -->\nbroken',
    };
    const otherCluster: Issue = {
      ...openIssue,
      number: 10,
      body: '<!-- hubfleet:issue:cert:other-cluster/gone -->\nbroken',
    };
    const otherKind: Issue = {
      ...openIssue,
      number: 11,
      body: '<!-- hubfleet:issue:down:pangeo-gcp/gone -->\nbroken',
    };
    const { gh, calls } = issuesInMemory([removed, otherCluster, otherKind]);
    const report = await runCheck(deps('Active', gh, servedOk), gcpCluster, hubs, opts);
    expect(report.verdict).toBe('pass');
    expect(calls).toEqual(['list hubfleet', 'comment #9', 'update #9 ', 'update #9 closed']);
    expect(report.summary.join('\n')).toContain('| gone (removed) | closed | #9 |');
  });

  it('lists the issues once and writes nothing for a healthy hub without an open issue', async () => {
    const closed: Issue = { ...openIssue, state: 'closed' };
    const { gh, calls } = issuesInMemory([closed]);
    expect((await runCheck(deps('Active', gh, servedOk), gcpCluster, hubs, opts)).verdict).toBe('pass');
    expect(calls).toEqual(['list hubfleet']);
  });
  it('leaves the issue alone while a new certificate is provisioning and the old one still serves (warn)', async () => {
    const { gh, calls } = issuesInMemory([openIssue]);
    const report = await runCheck(deps('Provisioning', gh, servedOk), gcpCluster, hubs, opts);
    expect([report.verdict, report.failingHubs]).toEqual(['warn', []]);
    // One listing (for issues of removed hubs), no writes.
    expect(calls).toEqual(['list hubfleet']);
  });
  it('comments on the open issue while failing, and closes it once healthy', async () => {
    const failing = issuesInMemory([openIssue]);
    expect(
      (await runCheck(deps('Provisioning', failing.gh, servedNothing), gcpCluster, hubs, opts)).verdict,
    ).toBe('fail');
    // How the open issue is updated is upsertIssue's business; it must stay open.
    expect(failing.calls.length).toBeGreaterThan(0);
    expect(failing.calls.filter((c) => c.endsWith('closed'))).toEqual([]);
    const healthy = issuesInMemory([openIssue]);
    expect((await runCheck(deps('Active', healthy.gh, servedOk), gcpCluster, hubs, opts)).verdict).toBe(
      'pass',
    );
    expect(healthy.calls[healthy.calls.length - 1]).toBe('update #7 closed');
  });
});
