import { describe, expect, it } from '@jest/globals';
import { forgeIdToken, readUnverifiedClaims } from './forged-token.js';
import type { HubTarget } from './probes.js';
import { checkTokens, tokensForRun } from './tokens.js';

const gke: HubTarget = {
  cluster: 'c',
  hub: 'ocean',
  provider: 'gcp',
  domain: 'o.example.org',
  namespace: 'ocean',
};
const eks: HubTarget = { ...gke, hub: 'glacier', provider: 'aws' };
const NOW = 1_000_000;
const token = (exp: number): string =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ aud: 'client-1', email: 'ci@example.org', sub: '7', exp }),
  ).toString('base64url')}.sig`;

describe('checkTokens', () => {
  it('requires id-token for GKE hubs only, naming the hubs and never the value', () => {
    expect(checkTokens({}, [gke, eks], NOW)).toEqual({
      problems: [
        'input "id-token": required for GKE hubs behind IAP (ocean); mint it with google-github-actions/auth (token_format: id_token, id_token_audience: the IAP OAuth client id)',
      ],
      warnings: [
        'input "unauthorized-id-token" not given: the 403 probe (an identity without roles/iap.httpsResourceAccessor) was not run for ocean; pass an ID token (same audience) of a second identity that has no IAP role',
        'input "wrong-audience-id-token" not given: a load balancer that does not check the token\'s audience is not caught for ocean; pass an ID token of the authorised identity minted for another audience',
      ],
    });
    expect(checkTokens({}, [eks], NOW)).toEqual({ problems: [], warnings: [] });
  });

  it('refuses expired tokens, warns about tokens about to expire, unused tokens and non-JWTs', () => {
    const expired = token(NOW - 1);
    const result = checkTokens(
      { idToken: token(NOW + 30), unauthorizedIdToken: expired, wrongAudienceIdToken: 'opaque' },
      [eks],
      NOW,
    );
    expect(result).toEqual({
      problems: [
        'input "unauthorized-id-token": the token has expired; mint it in the same job, right before smoke-iap',
      ],
      warnings: [
        'input "id-token": the token expires within a minute; a refusal late in the run may be its expiry, not the hub',
        'input "wrong-audience-id-token" is not a JWT; IAP accepts only Google-signed OpenID Connect ID tokens',
        'input "id-token" is not used: none of the selected hubs is behind IAP (EKS hubs use GitHub OAuth)',
      ],
    });
    expect(JSON.stringify(result).includes(expired)).toBe(false);
  });

  it('a GKE run with both probe tokens has no warning', () => {
    const t = token(NOW + 600);
    expect(checkTokens({ idToken: t, unauthorizedIdToken: t, wrongAudienceIdToken: t }, [gke], NOW)).toEqual({
      problems: [],
      warnings: [],
    });
  });
});

describe('tokensForRun', () => {
  it('forges a token imitating the real one and passes the given ones through', () => {
    const id = token(NOW + 600);
    const tokens = tokensForRun({ idToken: id, unauthorizedIdToken: 'u' }, NOW);
    expect(Object.keys(tokens).sort()).toEqual([
      'authorized',
      'forged',
      'forged-other-audience',
      'unauthorized',
    ]);
    expect(readUnverifiedClaims(tokens['forged-other-audience'] ?? '')?.aud).toBe(
      'hubfleet-smoke-iap-not-an-iap-client',
    );
    expect([tokens.authorized, tokens.unauthorized]).toEqual([id, 'u']);
    expect(readUnverifiedClaims(tokens.forged ?? '')).toEqual({
      iss: 'https://accounts.google.com',
      aud: 'client-1',
      sub: '7',
      email: 'ci@example.org',
      exp: NOW + 300,
    });
    expect(tokens.forged).not.toBe(forgeIdToken({ like: readUnverifiedClaims(id), nowSeconds: NOW }));
  });
});
