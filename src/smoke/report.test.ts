import { describe, expect, it } from '@jest/globals';
import type { Verdict } from './classify.js';
import { probesFor, type HubTarget } from './probes.js';
import { failureText, fleetOutputs, headline, issuePlans, summaryParts } from './report.js';
import type { HubResult, ProbeVerdict } from './run-smoke.js';

const target = (hub: string): HubTarget => ({
  cluster: 'c',
  hub,
  provider: 'gcp',
  domain: `${hub}.example.org`,
  namespace: hub,
});

/** A hub whose checks all pass except the ones named. */
function hub(name: string, verdict: Verdict, bad: Record<string, [ProbeVerdict, string]> = {}): HubResult {
  const probes = probesFor(target(name), {
    path: '/hub/health',
    hasUnauthorizedToken: false,
    hasWrongAudienceToken: false,
  });
  return {
    target: target(name),
    verdict,
    probes: probes.map((probe) => {
      const [v, reason] = bad[probe.id] ?? ['pass', ''];
      return reason === ''
        ? { probe, verdict: v, answer: '200', attempts: 1 }
        : { probe, verdict: v, answer: '200', reason, attempts: 1 };
    }),
  };
}

const sound = hub('alpha', 'pass');
const exposed = hub('beta', 'exposed', {
  'forged-token': ['exposed', 'answered 200 to a forged token'],
  'xhr-no-credentials': ['exposed', 'answered 200 without any credentials'],
});
const down = hub('gamma', 'down', { 'authorized-authorization': ['down', 'answered 503'] });
const skipped = hub('delta', 'pass', { 'proxy-public-service': ['skipped', 'no kubeconfig'] });

describe('smoke report', () => {
  it('lists hubs by what is wrong, and the worst verdict', () => {
    expect(fleetOutputs([sound, exposed, down, skipped])).toEqual({
      verdict: 'exposed',
      exposedHubs: ['beta'],
      downHubs: ['gamma'],
      misbehavingHubs: [],
    });
    expect(fleetOutputs([sound, skipped])).toEqual({
      verdict: 'pass',
      exposedHubs: [],
      downHubs: [],
      misbehavingHubs: [],
    });
  });

  it('says which hubs and how in one line, worst check first', () => {
    expect(headline([sound, exposed, down])).toBe('3 hubs checked: 1 exposed (beta), 1 down (gamma)');
    expect(failureText([sound, exposed, down], 'c')).toBe(
      'smoke-iap c: 3 hubs checked: 1 exposed (beta), 1 down (gamma) — beta: xhr-no-credentials answered 200 without any credentials (+1 more check); gamma: authorized-authorization answered 503',
    );
  });

  it('shows skipped checks as skipped, never as passed', () => {
    const text = summaryParts([skipped], 'c').join('\n');
    expect(text).toContain('| delta | delta.example.org | pass |  | proxy-public-service: no kubeconfig |');
    expect(text).toContain('> Skipped checks are not passes: no kubeconfig.');
  });

  it('plans the three issues per hub with stable fingerprints', () => {
    const plans = issuePlans(down, undefined);
    expect(plans.map((p) => [p.key, p.outcome.status, p.extraLabels])).toEqual([
      ['exposure:c/gamma', 'passing', ['critical']],
      ['down:c/gamma', 'failing', []],
      ['misbehaving:c/gamma', 'passing', []],
    ]);
    const failing = plans[1]?.outcome;
    expect(failing?.status === 'failing' && [failing.title, failing.fingerprint]).toEqual([
      'Hub c/gamma is down',
      'down c/gamma: authorized-authorization=200',
    ]);
    // The same failure in a later run has the same fingerprint even with another run link.
    const later = issuePlans(down, 'https://github.com/o/r/actions/runs/2')[1]?.outcome;
    expect(later?.status === 'failing' && later.fingerprint).toBe(
      'down c/gamma: authorized-authorization=200',
    );
  });
});
