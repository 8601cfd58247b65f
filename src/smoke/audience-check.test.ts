// How a pinned audience is compared with the live backend service (decision 0081), one case per
// answer of the live lookup, and what each state means for the issue, the summary and the warnings.
import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import {
  audienceIssuePlans,
  audienceRows,
  audienceWarnings,
  readAudiences,
  staleCheckNote,
  type LiveLookup,
} from './audience-check.js';
import type { HubTarget } from './probes.js';

const OCEAN: HubTarget = {
  cluster: 'pangeo',
  hub: 'ocean',
  provider: 'gcp',
  domain: 'ocean.example.org',
  namespace: 'ocean',
};
const PINNED = '/projects/123/global/backendServices/111';
const LIVE = '/projects/123/global/backendServices/222';
const BACKEND = 'k8s1-abc-ocean-proxy-public-80-def';

const deployment = (audience: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hub', namespace: 'ocean' },
  spec: { template: { metadata: { annotations: { 'hubfleet.io/iap-audience': audience } } } },
});

describe('readAudiences compares a pin with the live backend service', () => {
  const cases: { name: string; live: LiveLookup; row: string[]; plan: string | undefined }[] = [
    {
      name: 'the same id: pinned and current, the issue closes',
      live: { lookup: () => Promise.resolve({ state: 'found', audience: PINNED, backendService: BACKEND }) },
      row: ['ocean', 'pinned', `${PINNED} (live: backend service ${BACKEND})`],
      plan: 'passing',
    },
    {
      name: 'another id: stale, the issue opens',
      live: { lookup: () => Promise.resolve({ state: 'found', audience: LIVE, backendService: BACKEND }) },
      row: ['ocean', 'stale', `pins ${PINNED}, but IAP signs ${LIVE} (backend service ${BACKEND})`],
      plan: 'failing',
    },
    {
      name: 'no backend service named yet: not compared, the issue is left as it is',
      live: {
        lookup: () => Promise.resolve({ state: 'unknown', reason: 'the Ingress ocean/ocean does not exist' }),
      },
      row: [
        'ocean',
        'pinned',
        `${PINNED} (not compared with the live backend service: the Ingress ocean/ocean does not exist)`,
      ],
      plan: undefined,
    },
    {
      name: 'the Compute API fails: not compared, with its error',
      live: { lookup: () => Promise.reject(new Error('Compute API unreachable reading backend service x')) },
      row: [
        'ocean',
        'pinned',
        `${PINNED} (not compared with the live backend service: the live backend service could not be read: Compute API unreachable reading backend service x)`,
      ],
      plan: undefined,
    },
    {
      name: 'no token: not compared',
      live: { skipReason: 'no gcp-access-token given for the Compute API' },
      row: [
        'ocean',
        'pinned',
        `${PINNED} (not compared with the live backend service: no gcp-access-token given for the Compute API)`,
      ],
      plan: undefined,
    },
  ];
  it.each(cases)('$name', async ({ live, row, plan }) => {
    const audiences = await readAudiences([OCEAN], () => Promise.resolve(deployment(PINNED)), '', live);
    expect(audienceRows(audiences)).toEqual([row]);
    expect(audienceIssuePlans(audiences, undefined).map((p) => [p.key, p.outcome.status])).toEqual(
      plan === undefined ? [] : [['audience:pangeo/ocean', plan]],
    );
    expect(staleCheckNote(audiences) === undefined).toBe(plan !== undefined);
  });

  it('a project-wide hub is not looked up, and a stale one warns with the command that re-pins', async () => {
    const looked: string[] = [];
    const live: LiveLookup = {
      lookup: (t) => {
        looked.push(t.hub);
        return Promise.resolve({ state: 'found', audience: LIVE, backendService: BACKEND });
      },
    };
    const glacier: HubTarget = {
      ...OCEAN,
      hub: 'glacier',
      namespace: 'glacier',
      domain: 'glacier.example.org',
    };
    const audiences = await readAudiences(
      [OCEAN, glacier],
      (namespace) => Promise.resolve(deployment(namespace === 'ocean' ? PINNED : 'project-wide')),
      '',
      live,
    );
    expect(looked).toEqual(['ocean']);
    expect(audienceWarnings(audiences)).toEqual([
      `pangeo/ocean: the hub pins the stale IAP audience ${PINNED}, IAP signs ${LIVE}, so every user gets 403; run: gh workflow run recreate-cert.yml -f cluster=pangeo -f hub=ocean`,
      'pangeo/glacier: the hub accepts the project-wide IAP audience; run deploy-hub for it with gcp-access-token to pin its own backend service',
    ]);
    const plans = audienceIssuePlans(audiences, undefined);
    expect(plans.map((p) => (p.outcome.status === 'failing' ? p.outcome.fingerprint : ''))).toEqual([
      `audience pangeo/ocean: stale ${PINNED} (live ${LIVE})`,
      'audience pangeo/glacier: project-wide',
    ]);
    expect(plans.map((p) => (p.outcome.status === 'failing' ? p.outcome.title : ''))).toEqual([
      'Hub pangeo/ocean does not pin the IAP audience of its live backend service',
      'Hub pangeo/glacier does not pin the IAP audience of its live backend service',
    ]);
  });
});
