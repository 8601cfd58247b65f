import { describe, expect, it } from '@jest/globals';
import { HubfleetError } from '../errors.js';
import type { LoadedCluster } from '../config/model.js';
import { cluster } from '../../test/support/fleet.js';
import { oauthCredentialsByHub } from './oauth-credentials.js';

// GKE: `managed` keeps Google's client; `custom` names IAP_OAUTH_CUSTOM.
function gke(): LoadedCluster {
  const c = cluster('gke', 'gcp', [
    { name: 'custom', stage: 'staging' },
    { name: 'managed', stage: 'staging' },
  ]);
  const custom = c.hubs.find((h) => h.config.name === 'custom');
  if (custom?.config.iap) custom.config.iap.oauthClient = { secret: 'IAP_OAUTH_CUSTOM' };
  return c;
}

// EKS: every hub signs in with GitHub OAuth; the test fleet names GITHUB_OAUTH_HUBS for all.
const eks = (): LoadedCluster =>
  cluster('eks', 'aws', [
    { name: 'alpha', stage: 'staging' },
    { name: 'beta', stage: 'prod' },
  ]);

const client = (id: string): string => JSON.stringify({ client_id: id, client_secret: `${id}-secret` });

function failure(fn: () => unknown): { message: string; hint: string | undefined } {
  try {
    fn();
  } catch (err) {
    if (err instanceof HubfleetError) return { message: err.message, hint: err.hint };
    throw err;
  }
  throw new Error('expected a HubfleetError');
}

describe('oauthCredentialsByHub', () => {
  it('takes from the secrets object only the secret each hub names; managed-client hubs need none', () => {
    const c = gke();
    const found = oauthCredentialsByHub(c, c.hubs, {
      byName: { IAP_OAUTH_CUSTOM: client('custom-id'), OTHER: client('other'), github_token: 'ghs_x' },
    });
    expect([...found]).toEqual([['custom', { clientId: 'custom-id', clientSecret: 'custom-id-secret' }]]);
  });

  it('gives every hub of a list the secret it names (EKS hubs all sign in with GitHub)', () => {
    const c = eks();
    const found = oauthCredentialsByHub(c, c.hubs, { byName: { GITHUB_OAUTH_HUBS: client('gh') } });
    expect([...found.keys()]).toEqual(['alpha', 'beta']);
  });

  it('uses directly given credentials for the hub that needs them', () => {
    const c = gke();
    const direct = { clientId: 'id', clientSecret: 'secret' };
    expect([...oauthCredentialsByHub(c, c.hubs, { direct })]).toEqual([['custom', direct]]);
  });

  it('reports every hub whose secret is missing or malformed at once, never a value', () => {
    const c = eks();
    c.hubs[1]!.config.auth = { github: { allowedOrganizations: ['x'], secret: 'GITHUB_OAUTH_BETA' } };
    const { message, hint } = failure(() =>
      oauthCredentialsByHub(c, c.hubs, {
        byName: { GITHUB_OAUTH_HUBS: '{"client_id": "only-the-id-NOT-SHOWN"}' },
      }),
    );
    expect(message).toBe(
      'missing OAuth client credentials: config/clusters/eks/hubs/alpha.yaml: hub alpha needs the GitHub secret GITHUB_OAUTH_HUBS, whose value is not JSON {"client_id": "…", "client_secret": "…"}; ' +
        'config/clusters/eks/hubs/beta.yaml: hub beta needs the GitHub secret GITHUB_OAUTH_BETA, which this workflow run does not have',
    );
    expect(hint).toBe(
      'create each secret (repository or the environment the job runs in) holding {"client_id": "…", "client_secret": "…"}, and pass oauth-client-secrets: ${{ toJSON(secrets) }}; nothing was applied',
    );
  });

  it('says that neither way was given', () => {
    const c = gke();
    expect(failure(() => oauthCredentialsByHub(c, c.hubs, {})).message).toBe(
      'missing OAuth client credentials: config/clusters/gke/hubs/custom.yaml: hub custom needs the GitHub secret IAP_OAUTH_CUSTOM, but neither oauth-client-secrets nor oauth-client-id/-secret was given',
    );
  });
});
