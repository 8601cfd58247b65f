import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import type { HttpOutcome } from '../adapters/http.js';
import type { KubeObject } from '../render/manifests.js';
import { forgeIdToken, readUnverifiedClaims } from './forged-token.js';
import { probesFor, type HttpProbe, type HubTarget } from './probes.js';
import { retryDelay, smokeHub, type RetryPolicy, type SmokeEffects } from './run-smoke.js';
import { fleetOutputs, headline, issuePlans } from './report.js';

const target: HubTarget = {
  cluster: 'c',
  hub: 'ocean',
  provider: 'gcp',
  domain: 'ocean.example.org',
  namespace: 'ocean',
};
const probes = probesFor(target, {
  path: '/hub/health',
  hasUnauthorizedToken: false,
  hasWrongAudienceToken: false,
});
const policy: RetryPolicy = {
  attempts: 5,
  attemptTimeoutMs: 10_000,
  budgetMs: 120_000,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
};

const ok = (status: number, headers: Record<string, string> = {}): HttpOutcome => ({
  kind: 'response',
  status,
  headers,
  body: '',
  connectedTo: 'x',
});

/** A sound IAP, except that the first `failures` requests get `failure`. */
function effects(
  failures: number,
  failure: HttpOutcome,
  tokens = { authorized: 'AUTH', forged: 'FORGED', 'forged-other-audience': 'FORGED2' },
) {
  let clock = 0;
  const sent: string[] = [];
  const sleeps: number[] = [];
  let n = 0;
  const fx: SmokeEffects = {
    send(probe: HttpProbe, token: string | undefined, timeoutMs: number) {
      n += 1;
      sent.push(`${probe.id}:${token ?? '-'}`);
      clock += 10;
      if (n <= failures) {
        if (failure.kind === 'timeout') clock += timeoutMs;
        return Promise.resolve(failure);
      }
      if (probe.id === 'plain-http')
        return Promise.resolve(ok(301, { location: 'https://ocean.example.org/' }));
      if (probe.credential === 'authorized') return Promise.resolve(ok(200));
      if (probe.credential === 'none' && probe.headers['x-requested-with'] === undefined) {
        return Promise.resolve(ok(302, { location: 'https://accounts.google.com/o/oauth2/v2/auth' }));
      }
      return Promise.resolve(ok(401));
    },
    tokens,
    sleep(ms) {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
  };
  return { fx, sent, sleeps };
}

describe('retry policy', () => {
  it('doubles the wait up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('passes a hub that answers only after 3 failed attempts, within the budget', async () => {
    const { fx, sent, sleeps } = effects(3, ok(503));
    const result = await smokeHub(target, probes, fx, policy);
    expect(result.verdict).toBe('pass');
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(result.probes.map((p) => [p.probe.id, p.verdict, p.attempts])).toEqual([
      ['browser-no-credentials', 'pass', 4],
      ['xhr-no-credentials', 'pass', 1],
      ['forged-token', 'pass', 1],
      ['forged-other-audience-token', 'pass', 1],
      ['authorized-authorization', 'pass', 1],
      ['authorized-proxy-authorization', 'pass', 1],
      ['plain-http', 'pass', 1],
      ['proxy-public-service', 'skipped', 0],
    ]);
    expect(sent.slice(3)).toEqual([
      'browser-no-credentials:-',
      'xhr-no-credentials:-',
      'forged-token:FORGED',
      'forged-other-audience-token:FORGED2',
      'authorized-authorization:AUTH',
      'authorized-proxy-authorization:AUTH',
      'plain-http:-',
    ]);
  });

  it('reports a hub that never answers as down (not exposed), spending the budget once', async () => {
    const { fx, sleeps } = effects(1000, { kind: 'timeout', detail: 'no answer' });
    const result = await smokeHub(target, probes, fx, policy);
    expect(result.verdict).toBe('down');
    // 5 attempts for the first probe, then one attempt each; plain http unanswered is a pass.
    expect(result.probes.map((p) => [p.probe.id, p.verdict, p.attempts])).toEqual([
      ['browser-no-credentials', 'down', 5],
      ['xhr-no-credentials', 'down', 1],
      ['forged-token', 'down', 1],
      ['forged-other-audience-token', 'down', 1],
      ['authorized-authorization', 'down', 1],
      ['authorized-proxy-authorization', 'down', 1],
      ['plain-http', 'pass', 1],
      ['proxy-public-service', 'skipped', 0],
    ]);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(fleetOutputs([result])).toEqual({
      verdict: 'down',
      exposedHubs: [],
      downHubs: ['ocean'],
      misbehavingHubs: [],
    });
  });

  it('stops retrying when the budget is spent, even with attempts left', async () => {
    const { fx } = effects(1000, { kind: 'timeout', detail: 'no answer' });
    const result = await smokeHub(target, probes, fx, { ...policy, budgetMs: 25_000 });
    // 10 s, wait 1 s, 10 s, wait 2 s (23 s < 25 s), 10 s: a 4 s wait would end past the budget.
    expect(result.probes[0]?.attempts).toBe(3);
  });

  it('does not retry an exposure or a mismatch', async () => {
    const { fx } = effects(0, ok(200));
    const openFx: SmokeEffects = { ...fx, send: () => Promise.resolve(ok(200)) };
    const open = await smokeHub(target, probes, openFx, policy);
    expect(open.probes.map((p) => [p.probe.id, p.verdict, p.attempts])).toEqual([
      ['browser-no-credentials', 'exposed', 1],
      ['xhr-no-credentials', 'exposed', 1],
      ['forged-token', 'exposed', 1],
      ['forged-other-audience-token', 'exposed', 1],
      ['authorized-authorization', 'pass', 1],
      ['authorized-proxy-authorization', 'pass', 1],
      ['plain-http', 'exposed', 1],
      ['proxy-public-service', 'skipped', 0],
    ]);
  });
});

describe('proxy-public Service check', () => {
  const service = (type: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'proxy-public', namespace: 'ocean' },
    spec: { type },
  });
  const last = async (readService: NonNullable<SmokeEffects['readService']>): Promise<unknown> => {
    const { fx } = effects(0, ok(200));
    const r = await smokeHub(target, probes, { ...fx, readService }, policy);
    const p = r.probes[r.probes.length - 1];
    return [r.verdict, p?.verdict, p?.answer, p?.reason];
  };

  it('passes a NodePort, exposes a LoadBalancer, skips a Service it cannot find, fails on a read error', async () => {
    expect(await last(() => Promise.resolve(service('NodePort')))).toEqual([
      'pass',
      'pass',
      'type NodePort',
      undefined,
    ]);
    expect(await last(() => Promise.resolve(service('LoadBalancer')))).toEqual([
      'exposed',
      'exposed',
      'type LoadBalancer',
      'Service ocean/proxy-public is of type LoadBalancer: the hub is reachable from outside around the load balancer (no TLS, no IAP)',
    ]);
    expect(await last(() => Promise.resolve(undefined))).toEqual([
      'pass',
      'skipped',
      'not found',
      "Service ocean/proxy-public not found: does the kubeconfig point at this hub's cluster?",
    ]);
    expect(await last(() => Promise.reject(new Error('kubectl get: Forbidden')))).toEqual([
      'misbehaving',
      'misbehaving',
      'could not read',
      'reading Service ocean/proxy-public failed: kubectl get: Forbidden',
    ]);
  });
});

describe('issue plans', () => {
  it('opens the critical exposure issue and closes down/misbehaving for an exposed hub', async () => {
    const { fx } = effects(0, ok(200));
    const exposedFx: SmokeEffects = {
      ...fx,
      send: (p, t, ms) => (p.id === 'forged-token' ? Promise.resolve(ok(200)) : fx.send(p, t, ms)),
    };
    const result = await smokeHub(target, probes, exposedFx, policy);
    expect(result.verdict).toBe('exposed');
    expect(headline([result])).toBe('1 hub checked: 1 exposed (ocean)');
    const plans = issuePlans(result, 'https://github.com/o/r/actions/runs/1');
    expect(plans.map((p) => [p.key, p.outcome.status, p.extraLabels])).toEqual([
      ['exposure:c/ocean', 'failing', ['critical']],
      ['down:c/ocean', 'passing', []],
      ['misbehaving:c/ocean', 'passing', []],
    ]);
    const exposure = plans[0];
    expect(exposure?.outcome.status === 'failing' && exposure.outcome.title).toBe(
      'Hub c/ocean is reachable without IAP',
    );
    expect(exposure?.outcome.status === 'failing' && exposure.outcome.fingerprint).toBe(
      'exposed c/ocean: forged-token=200',
    );
  });
});

describe('forged token', () => {
  it('is a well-formed ES256 JWT imitating the real claims, verifiable only by its own throw-away key', () => {
    const real = forgeIdToken({
      like: { aud: 'client-1.apps.googleusercontent.com', email: 'ci@p.iam.gserviceaccount.com', sub: '42' },
      nowSeconds: 1000,
    });
    const [h, p, s] = real.split('.');
    expect(JSON.parse(Buffer.from(h ?? '', 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(p ?? '', 'base64url').toString())).toEqual({
      iss: 'https://accounts.google.com',
      aud: 'client-1.apps.googleusercontent.com',
      sub: '42',
      email: 'ci@p.iam.gserviceaccount.com',
      email_verified: true,
      iat: 1000,
      exp: 1300,
    });
    expect(Buffer.from(s ?? '', 'base64url')).toHaveLength(64);
    expect(readUnverifiedClaims(real)).toEqual({
      iss: 'https://accounts.google.com',
      aud: 'client-1.apps.googleusercontent.com',
      sub: '42',
      email: 'ci@p.iam.gserviceaccount.com',
      exp: 1300,
    });
    // Another key (any key that is not the throw-away one) does not verify it.
    const other = createPublicKey(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: other, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s ?? '', 'base64url'),
      ),
    ).toBe(false);
  });

  it('is new every time', () => {
    expect(forgeIdToken({ nowSeconds: 1 })).not.toBe(forgeIdToken({ nowSeconds: 1 }));
    expect(readUnverifiedClaims('not-a-jwt')).toBeUndefined();
  });
});
