// The probe library, in process, against the IAP double: a sound hub passes 50 times in a row, and
// every broken setup is caught and named. (The bundle tests run the action itself a few times.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseConnectTo, resolveConnectTo } from '../../src/adapters/connect-to.js';
import type { KubeObject } from '../../src/render/manifests.js';
import { tokensForRun } from '../../src/smoke/tokens.js';
import { httpSender } from '../../src/smoke/http-sender.js';
import { probesFor, type HubTarget } from '../../src/smoke/probes.js';
import { smokeHub, type HubResult, type RetryPolicy, type SmokeEffects } from '../../src/smoke/run-smoke.js';
import { SOUND, startIapDouble, type IapDouble, type IapSwitches } from '../support/iap-double.js';
import { createTestCa, type TestCa } from '../support/openssl-certs.js';

const gke: HubTarget = {
  cluster: 'pangeo-gcp',
  hub: 'ocean',
  provider: 'gcp',
  domain: 'ocean.hubs.test',
  namespace: 'ocean',
};
const eks: HubTarget = {
  cluster: 'pangeo-aws',
  hub: 'glacier',
  provider: 'aws',
  domain: 'glacier.hubs.test',
  namespace: 'glacier',
};
const ALLOWED = 'smoke@fleet.iam.gserviceaccount.com';
const policy: RetryPolicy = {
  attempts: 5,
  attemptTimeoutMs: 2000,
  budgetMs: 60_000,
  baseDelayMs: 10,
  maxDelayMs: 40,
};

let ca: TestCa;
let iap: IapDouble;
const services = new Map<string, KubeObject>();

beforeAll(async () => {
  ca = await createTestCa();
  iap = await startIapDouble({
    ca,
    hubs: [gke, { ...eks, iap: false }],
    allowed: [ALLOWED],
    kube: { put: (o) => services.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o) },
  });
});
afterAll(async () => {
  await iap.close();
  await ca.remove();
});
beforeEach(() => iap.set({ ...SOUND }));

function run(target: HubTarget, extra: { wrongAudience?: boolean } = {}): Promise<HubResult> {
  const rules = parseConnectTo(iap.connectTo);
  // The product's own token set: the forged ones imitate the real token, as in a run.
  const tokens = tokensForRun(
    {
      idToken: iap.mintIdToken(ALLOWED),
      unauthorizedIdToken: iap.mintIdToken('someone-else@example.org'),
      ...(extra.wrongAudience === true
        ? { wrongAudienceIdToken: iap.mintIdToken(ALLOWED, { aud: 'another-client' }) }
        : {}),
    },
    Math.floor(Date.now() / 1000),
  );
  const effects: SmokeEffects = {
    send: httpSender({ connectTo: (h, p) => resolveConnectTo(rules, h, p), ca: ca.caPem }),
    readService: (ns, name) => Promise.resolve(services.get(`${ns}/${name}`)),
    tokens,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
  };
  const probes = probesFor(target, {
    path: '/hub/health',
    hasUnauthorizedToken: true,
    hasWrongAudienceToken: extra.wrongAudience === true,
  });
  return smokeHub(target, probes, effects, policy);
}

/** Every check that did not pass, as `id=verdict`. */
const failing = (r: HubResult): string[] =>
  r.probes.filter((p) => p.verdict !== 'pass').map((p) => `${p.probe.id}=${p.verdict}`);

describe('against the IAP double', () => {
  it('a sound GKE hub passes 50 runs in a row (no false alarm)', async () => {
    const verdicts: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await run(gke, { wrongAudience: true });
      verdicts.push(`${r.verdict}:${failing(r).join(',')}`);
    }
    expect(verdicts).toEqual(Array.from({ length: 50 }, () => 'pass:'));
  });

  it('a sound EKS hub passes', async () => {
    const r = await run(eks);
    expect([r.verdict, failing(r)]).toEqual(['pass', []]);
  });

  const broken: [string, Partial<IapSwitches>, { wrongAudience?: boolean }, string, string[]][] = [
    [
      'IAP disabled',
      { iap: 'disabled' },
      {},
      'exposed',
      [
        'browser-no-credentials=exposed',
        'xhr-no-credentials=exposed',
        'forged-token=exposed',
        'forged-other-audience-token=exposed',
        'unauthorized-token=exposed',
      ],
    ],
    [
      'any token accepted',
      { tokens: 'any-accepted' },
      {},
      'exposed',
      ['forged-token=exposed', 'forged-other-audience-token=exposed', 'unauthorized-token=exposed'],
    ],
    [
      'wrong audience accepted',
      { tokens: 'wrong-audience-accepted' },
      { wrongAudience: true },
      'exposed',
      ['wrong-audience-token=exposed'],
    ],
    ['plain HTTP serving content', { plainHttp: 'content' }, {}, 'exposed', ['plain-http=exposed']],
    [
      'proxy-public of type LoadBalancer',
      { proxyPublic: 'LoadBalancer' },
      {},
      'exposed',
      ['proxy-public-service=exposed'],
    ],
    [
      'TLS name mismatch',
      { certificate: 'wrong-name' },
      {},
      'exposed',
      [
        'browser-no-credentials=exposed',
        'xhr-no-credentials=exposed',
        'forged-token=exposed',
        'forged-other-audience-token=exposed',
        'unauthorized-token=exposed',
        'authorized-authorization=exposed',
        'authorized-proxy-authorization=exposed',
      ],
    ],
    [
      'hub down',
      { hub: 'down' },
      {},
      'down',
      ['authorized-authorization=down', 'authorized-proxy-authorization=down'],
    ],
    ['plain HTTP closed (no answer is fine)', { plainHttp: 'closed' }, {}, 'pass', []],
  ];
  it.each(broken)('GKE, %s: caught and named', async (_name, switches, extra, verdict, failures) => {
    iap.set(switches);
    const r = await run(gke, extra);
    expect([r.verdict, failing(r)]).toEqual([verdict, failures]);
  });

  it('wrong audience accepted goes unnoticed without a wrong-audience token (why the input exists)', async () => {
    iap.set({ tokens: 'wrong-audience-accepted' });
    expect((await run(gke)).verdict).toBe('pass');
  });

  it('EKS hub without a login: caught', async () => {
    iap.set({ hubLogin: 'open' });
    const r = await run(eks);
    expect([r.verdict, failing(r)]).toEqual([
      'exposed',
      ['browser-no-credentials=exposed', 'api-no-credentials=exposed', 'forged-token=exposed'],
    ]);
  });

  it('a hub that answers only after 3 failed attempts passes', async () => {
    iap.set({ failFirst: 3 });
    const r = await run(gke);
    expect([r.verdict, r.probes[0]?.attempts]).toEqual(['pass', 4]);
  });
});
