import { describe, expect, it } from '@jest/globals';
import {
  apisCheck,
  conditionCovers,
  dnsDelegationCheck,
  hubDnsCheck,
  REQUIRED_GCP_APIS,
  smokeIdentityCheck,
  stateBucketCheck,
  wifProviderCheck,
  type WifProviderFacts,
} from './gcp-checks.js';

const REPO = { repository: 'example-org/fleet', id: '987654321' };

describe('conditionCovers', () => {
  it.each([
    ["assertion.repository == 'example-org/fleet'", true],
    ['assertion.repository=="Example-Org/Fleet"', true],
    ["'example-org/fleet' == assertion.repository", true],
    ["assertion.repository_id == '987654321'", true],
    ['assertion.repository_id == "9876543210"', false],
    ["assertion.repository_owner == 'example-org'", true],
    ["assertion.repository_owner == 'example-org' && assertion.ref == 'refs/heads/main'", true],
    ["assertion.repository == 'example-org/fleet-tools'", false],
    ["assertion.repository == 'other/fleet'", false],
    ["assertion.repository_owner == 'example'", false],
    ["assertion.sub == 'repo:example-org/fleet:ref:refs/heads/main'", false],
  ])('%s → %s', (condition, covers) => {
    expect(conditionCovers(condition, REPO)).toBe(covers);
  });

  it('does not match a repository id without knowing it', () => {
    expect(
      conditionCovers("assertion.repository_id == '987654321'", {
        repository: REPO.repository,
        id: undefined,
      }),
    ).toBe(false);
  });
});

describe('apisCheck', () => {
  it('passes with every API on, and names the missing ones with the command that enables them', () => {
    expect(apisCheck('c', 'p', { kind: 'ok', value: [...REQUIRED_GCP_APIS] }).status).toBe('pass');
    expect(apisCheck('c', 'p', { kind: 'ok', value: ['compute.googleapis.com'] })).toEqual({
      id: 'apis',
      scope: 'c',
      status: 'fail',
      message: `9 of the APIs a run needs are not enabled in p: ${REQUIRED_GCP_APIS.filter((a) => a !== 'compute.googleapis.com').join(', ')}`,
      fix: `gcloud services enable ${REQUIRED_GCP_APIS.filter((a) => a !== 'compute.googleapis.com').join(' ')} --project p (or apply terraform/bootstrap/gcp)`,
    });
  });

  it('fails for an unknown project and when the API cannot be reached', () => {
    expect(apisCheck('c', 'p', { kind: 'missing' }).message).toBe('project p was not found');
    expect(apisCheck('c', 'p', { kind: 'error', message: 'connect ECONNREFUSED' })).toEqual({
      id: 'apis',
      scope: 'c',
      status: 'fail',
      message: 'could not read the enabled services of project p: connect ECONNREFUSED',
      fix: 'check the network path to the API (proxy, Private Google Access) and re-run',
    });
  });
});

describe('stateBucketCheck', () => {
  it('reports versioning and public access together', () => {
    expect(
      stateBucketCheck('c', 'b', {
        kind: 'ok',
        value: { versioningEnabled: false, publicAccessPrevention: 'inherited' },
      }),
    ).toEqual({
      id: 'state-bucket',
      scope: 'c',
      status: 'fail',
      message:
        'state bucket b: versioning is off (a bad apply could not be rolled back to the previous state); public access prevention is inherited, not enforced (state holds resource details)',
      fix: 'gcloud storage buckets update gs://b --versioning; gcloud storage buckets update gs://b --public-access-prevention',
    });
  });
});

describe('wifProviderCheck', () => {
  const good: WifProviderFacts = {
    state: 'ACTIVE',
    disabled: false,
    attributeCondition: "assertion.repository_owner == 'example-org'",
    issuerUri: 'https://token.actions.githubusercontent.com',
  };
  const pool = { kind: 'ok' as const, value: { state: 'ACTIVE', disabled: false } };
  const name = 'projects/1/locations/global/workloadIdentityPools/gh/providers/github';

  it('passes an active provider whose condition admits the repository', () => {
    expect(wifProviderCheck('c', name, REPO, { kind: 'ok', value: good }, pool).status).toBe('pass');
  });

  it('lists every problem: deleted, no condition, another issuer, a disabled pool', () => {
    const r = wifProviderCheck(
      'c',
      name,
      REPO,
      {
        kind: 'ok',
        value: {
          state: 'DELETED',
          disabled: false,
          attributeCondition: undefined,
          issuerUri: 'https://gitlab.com',
        },
      },
      { kind: 'ok', value: { state: 'ACTIVE', disabled: true } },
    );
    expect(r.message).toBe(
      `Workload Identity provider ${name}: its state is DELETED, not ACTIVE; its pool projects/1/locations/global/workloadIdentityPools/gh is disabled; its issuer is https://gitlab.com, not https://token.actions.githubusercontent.com; it has no attributeCondition (any GitHub repository's token would be accepted)`,
    );
    expect(r.status).toBe('fail');
  });

  it('skips when the identity may not read the provider', () => {
    expect(
      wifProviderCheck('c', name, REPO, { kind: 'denied', status: 403, message: 'denied' }, pool),
    ).toEqual({
      id: 'wif-provider',
      scope: 'c',
      status: 'skip',
      message: `skipped: the credentials may not read provider ${name} (HTTP 403: denied)`,
      fix: 'grant the identity roles/iam.workloadIdentityPoolViewer on the project',
    });
  });
});

describe('dnsDelegationCheck', () => {
  const zone = {
    kind: 'ok' as const,
    value: {
      dnsName: 'hubs.example.org.',
      nameServers: ['NS-A.example.net.', 'ns-b.example.net.'],
      visibility: 'public',
    },
  };
  const ns = (records: string[], rcode = 0) => ({
    kind: 'answer' as const,
    rcode,
    records: records.map((data) => ({ name: 'hubs.example.org.', type: 2, data })),
  });

  it('compares name server sets without case, order or trailing dots', () => {
    expect(
      dnsDelegationCheck('c', 'z', undefined, zone, ns(['ns-b.example.net', 'ns-a.example.net.'])).status,
    ).toBe('pass');
  });

  it('fails a private zone, a dnsDomain that is not the zone, and an answer without NS records', () => {
    expect(
      dnsDelegationCheck(
        'c',
        'z',
        undefined,
        { kind: 'ok', value: { ...zone.value, visibility: 'private' } },
        undefined,
      ).message,
    ).toBe('managed zone z (hubs.example.org) is private: managed certificates need public DNS');
    expect(dnsDelegationCheck('c', 'z', 'example.org', zone, ns([])).message).toBe(
      "cluster.yaml dnsDomain example.org is not the zone's DNS name hubs.example.org",
    );
    expect(dnsDelegationCheck('c', 'z', 'hubs.example.org', zone, ns([], 2)).message).toBe(
      'public DNS has no NS records for hubs.example.org (rcode 2): it is not delegated',
    );
  });
});

describe('hubDnsCheck and smokeIdentityCheck', () => {
  it('fails a hub with no A record while its static IP exists', () => {
    const r = hubDnsCheck('c', [
      {
        hub: 'h',
        domain: 'h.example.org',
        addressName: 'ip-h',
        address: { kind: 'ok', value: { address: '34.1.2.3' } },
        resolved: { kind: 'answer', rcode: 3, records: [] },
      },
    ]);
    expect(r.message).toBe('h.example.org has no A record (NXDOMAIN); its static IP is 34.1.2.3');
    expect(hubDnsCheck('c', []).message).toBe('no hubs');
  });

  it('accepts an unconditional grant and refuses another member', () => {
    const hubs = [{ name: 'h', domain: 'h.example.org', created: true }];
    const role = 'roles/iap.httpsResourceAccessor';
    expect(
      smokeIdentityCheck('c', 'p@x.iam.gserviceaccount.com', hubs, {
        kind: 'ok',
        value: { bindings: [{ role, members: ['serviceAccount:p@x.iam.gserviceaccount.com'] }] },
      }).status,
    ).toBe('pass');
    expect(
      smokeIdentityCheck('c', 'p@x.iam.gserviceaccount.com', hubs, {
        kind: 'ok',
        value: { bindings: [{ role, members: ['user:p@x.iam.gserviceaccount.com'] }] },
      }).status,
    ).toBe('fail');
  });
});
