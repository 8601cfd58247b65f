import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { awsCluster, awsHub, gcpBasehub, gcpCluster, gcpDaskhub } from '../../test/fixtures/render/fleet.js';
import {
  awsIrsaRoleArn,
  awsIrsaRoleName,
  awsPartition,
  backendConfigName,
  bucketName,
  daskGatewayTraefikServiceName,
  expectedSecrets,
  findNameCollisions,
  gcpServiceAccountEmail,
  gcpServiceAccountId,
  gcpStaticIpName,
  githubOauthSecretName,
  helmReleaseName,
  iapOauthSecretName,
  ingressName,
  irsaSubject,
  managedCertificateName,
  namespaceName,
  shortenName,
  workloadIdentityMember,
} from './names.js';

const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const GCP_SA_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const IAM_ROLE = /^[\w+=,.@-]{1,64}$/;
const BUCKET = /^[a-z0-9][-a-z0-9]{1,61}[a-z0-9]$/;
const LONG = 'a'.repeat(61) + '-z'; // a 63-character DNS label

/** DNS labels as the config model allows them (≤ 63 chars, letter first). */
const dnsLabel = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), maxLength: 61 }),
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  )
  .map(([a, mid, z]) => `${a}${mid}${z}`);

describe('fixed names', () => {
  it.each([
    ['namespace', namespaceName('ocean'), 'ocean'],
    ['helm release', helmReleaseName('ocean'), 'ocean'],
    ['BackendConfig', backendConfigName('ocean'), 'ocean-iap'],
    // sha256('ocean.hubs.example.org') starts with the hash in the name.
    [
      'ManagedCertificate',
      managedCertificateName('ocean', ['ocean.hubs.example.org']),
      'ocean-cert-3d34d558',
    ],
    ['Ingress', ingressName('ocean'), 'ocean'],
    ['IAP OAuth Secret', iapOauthSecretName('ocean'), 'ocean-iap-oauth'],
    ['GitHub OAuth Secret', githubOauthSecretName('climate'), 'climate-github-oauth'],
    [
      'Workload Identity member',
      workloadIdentityMember('pangeo-prod', 'ocean'),
      'serviceAccount:pangeo-prod.svc.id.goog[ocean/user-sa]',
    ],
    ['IRSA subject', irsaSubject('climate'), 'system:serviceaccount:climate:user-sa'],
    ['static IP', gcpStaticIpName('pangeo-gcp', 'ocean'), 'hubfleet-pangeo-gcp-ocean'],
    ['GCP SA id', gcpServiceAccountId('pangeo-gcp', 'ocean'), 'hubfleet-pangeo-gcp-ocean'],
    [
      'GCP SA email',
      gcpServiceAccountEmail('pangeo-prod', 'pangeo-gcp', 'ocean'),
      'hubfleet-pangeo-gcp-ocean@pangeo-prod.iam.gserviceaccount.com',
    ],
    ['IRSA role', awsIrsaRoleName('pangeo-aws', 'climate'), 'hubfleet-pangeo-aws-climate'],
    [
      'IRSA role ARN',
      awsIrsaRoleArn('111122223333', 'us-west-2', 'pangeo-aws', 'climate'),
      'arn:aws:iam::111122223333:role/hubfleet-pangeo-aws-climate',
    ],
    [
      'GovCloud ARN',
      awsIrsaRoleArn('111122223333', 'us-gov-west-1', 'c', 'h'),
      'arn:aws-us-gov:iam::111122223333:role/hubfleet-c-h',
    ],
  ])('%s', (_what, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['us-west-2', 'aws'],
    ['eu-central-1', 'aws'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
  ])('puts %s in the %s partition', (region, partition) => {
    expect(awsPartition(region)).toBe(partition);
  });
});

describe('shortened names', () => {
  it('keeps a name that fits and shortens one that does not, with a hash of the whole name', () => {
    expect(shortenName('hubfleet-a-b', 30)).toBe('hubfleet-a-b');
    const short = shortenName(`hubfleet-${LONG}`, 30);
    expect(short).toHaveLength(30);
    expect(short).toMatch(/^hubfleet-a{12}-[0-9a-f]{8}$/);
  });

  it('trims a dash left at the cut so the name still ends in a letter or digit', () => {
    // the cut falls right after "abc-"
    expect(shortenName('abc-defghijklmnop', 13)).toMatch(/^abc-[0-9a-f]{8}$/);
  });

  it('gives different names to long inputs that share their first 63 characters', () => {
    const a = gcpStaticIpName(LONG, 'one');
    const b = gcpStaticIpName(LONG, 'two');
    expect(a).not.toBe(b);
    expect(a.slice(0, 54)).toBe(b.slice(0, 54));
  });

  it('is stable across calls (a pinned hash, not only self-consistency)', () => {
    expect(gcpServiceAccountId(LONG, LONG)).toBe(gcpServiceAccountId(LONG, LONG));
    expect(gcpServiceAccountId('pangeo-gcp', 'oceanography-research')).toBe('hubfleet-pangeo-gcp-o-faa16f41');
  });
});

describe('platform limits hold for every cluster and hub name the config allows', () => {
  it('static IP: RFC 1035, ≤ 63', () => {
    fc.assert(
      fc.property(dnsLabel, dnsLabel, (c, h) => {
        const n = gcpStaticIpName(c, h);
        return n.length <= 63 && RFC1035.test(n);
      }),
    );
  });

  it('GCP service account id: 6–30 chars, letter first, no trailing dash', () => {
    expect(gcpServiceAccountId('a', 'b')).toBe('hubfleet-a-b');
    fc.assert(fc.property(dnsLabel, dnsLabel, (c, h) => GCP_SA_ID.test(gcpServiceAccountId(c, h))));
  });

  it('IRSA role: IAM characters, ≤ 64', () => {
    expect(awsIrsaRoleName(LONG, LONG)).toHaveLength(64);
    fc.assert(fc.property(dnsLabel, dnsLabel, (c, h) => IAM_ROLE.test(awsIrsaRoleName(c, h))));
  });

  it('bucket: 3–63 lowercase chars, no reserved prefix or suffix', () => {
    const bucketKey = fc.stringMatching(/^[a-z0-9][-a-z0-9]{1,40}[a-z0-9]$/);
    fc.assert(
      fc.property(dnsLabel, dnsLabel, bucketKey, (c, h, b) => {
        fc.pre(!/g[o0][o0]g(le|1e)/.test(`${c}-${h}-${b}`));
        const n = bucketName('pangeo-prod', c, h, b);
        return BUCKET.test(n) && !/^(goog|xn--|sthree-)/.test(n) && !/(-s3alias|--ol-s3)$/.test(n);
      }),
    );
  });
});

describe('bucket names', () => {
  it('name cluster, hub and bucket, with a hash that includes the project or account', () => {
    expect(bucketName('pangeo-prod', 'pangeo-gcp', 'ocean', 'scratch')).toBe(
      'hubfleet-pangeo-gcp-ocean-scratch-103a73c6',
    );
    expect(bucketName('other-project', 'pangeo-gcp', 'ocean', 'scratch')).not.toBe(
      bucketName('pangeo-prod', 'pangeo-gcp', 'ocean', 'scratch'),
    );
  });

  it('refuses a name Cloud Storage would refuse', () => {
    expect(() => bucketName('p', 'google-hubs', 'ocean', 'scratch')).toThrow(/contains "google"/);
    expect(() => bucketName('p', 'hubs', 'g00gle', 'scratch')).toThrow(/contains "google"/);
  });
});

describe('dask-gateway traefik service', () => {
  it.each([
    ['ocean', 'traefik-ocean-dask-gateway'],
    // the chart uses the release name alone when it already contains the chart name
    ['my-dask-gateway', 'traefik-my-dask-gateway'],
    // truncated to 63 as the chart's helpers do (expected values computed by hand from _helpers.tpl)
    [`${'x'.repeat(40)}-dask`, `traefik-${'x'.repeat(40)}-dask-dask-gate`],
    ['x'.repeat(42), `traefik-${'x'.repeat(42)}-dask-gateway`],
    ['x'.repeat(49) + '-aa', `traefik-${'x'.repeat(49)}-aa-da`],
    // the cut lands right after a dash, which is trimmed
    ['x'.repeat(54), `traefik-${'x'.repeat(54)}`],
  ])('%s → %s', (release, name) => {
    expect(daskGatewayTraefikServiceName(release)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(63);
  });
});

describe('expected secrets', () => {
  it('lists the IAP client Secret only for a secret-backed OAuth client', () => {
    expect(expectedSecrets(gcpCluster, gcpBasehub)).toEqual([]);
    expect(expectedSecrets(gcpCluster, gcpDaskhub)).toEqual([
      {
        name: 'ocean-iap-oauth',
        namespace: 'ocean',
        keys: ['client_id', 'client_secret'],
        fromGithubSecret: 'IAP_OAUTH_OCEAN',
        purpose: 'iap-oauth-client',
      },
    ]);
  });

  it('lists the GitHub OAuth Secret of an EKS hub', () => {
    expect(expectedSecrets(awsCluster, awsHub)).toEqual([
      {
        name: 'climate-github-oauth',
        namespace: 'climate',
        keys: ['client_id', 'client_secret'],
        fromGithubSecret: 'GITHUB_OAUTH_CLIMATE',
        purpose: 'github-oauth-client',
      },
    ]);
  });
});

describe('name collisions across the fleet', () => {
  const hub = (name: string, cluster: string): LoadedHub => ({
    ...gcpBasehub,
    cluster,
    config: { ...gcpBasehub.config, name, domain: `${name}.${cluster}.example.org` },
  });
  const cluster = (name: string, hubs: LoadedHub[]): LoadedCluster => ({
    ...gcpCluster,
    config: { ...gcpCluster.config, name },
    hubs,
  });

  it('finds none in the fixture fleet', () => {
    expect(findNameCollisions([gcpCluster, awsCluster])).toEqual([]);
  });

  it('reports cluster a-b + hub c against cluster a + hub b-c in the same project', () => {
    const problems = findNameCollisions([cluster('a-b', [hub('c', 'a-b')]), cluster('a', [hub('b-c', 'a')])]);
    expect(problems).toEqual([
      'gcp-static-ip name hubfleet-a-b-c is derived for both a-b/c and a/b-c',
      'gcp-service-account name hubfleet-a-b-c is derived for both a-b/c and a/b-c',
    ]);
  });
});

describe('managedCertificateName', () => {
  it('changes with the domains, so a domain change issues a new certificate beside the old one', () => {
    const before = managedCertificateName('ocean', ['ocean.hubs.example.org']);
    const after = managedCertificateName('ocean', ['sea.hubs.example.org']);
    expect(before).not.toBe(after);
    expect(after).toMatch(/^ocean-cert-[0-9a-f]{8}$/);
  });
  it('does not depend on order, case or duplicates of the domains', () => {
    expect(managedCertificateName('ocean', ['b.example.org', 'a.example.org', 'A.example.org'])).toBe(
      managedCertificateName('ocean', ['a.example.org', 'b.example.org']),
    );
  });
  it('stays within 63 characters for the longest hub name', () => {
    expect(managedCertificateName(LONG, ['a.example.org']).length).toBeLessThanOrEqual(63);
  });
});
