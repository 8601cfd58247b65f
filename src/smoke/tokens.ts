// Which tokens a run needs and whether the ones given can work. Pure. Problems name the input,
// never its value.
import type { Credential, HubTarget } from './probes.js';
import { forgeIdToken, readUnverifiedClaims } from './forged-token.js';

export interface GivenTokens {
  idToken?: string | undefined;
  unauthorizedIdToken?: string | undefined;
  wrongAudienceIdToken?: string | undefined;
}

export interface TokenCheck {
  problems: string[];
  warnings: string[];
}

// google-github-actions/auth mints ID tokens for at most 10 minutes; one that expires within the
// next minute may die between probes, which would look like a hub refusing its own users.
const MIN_REMAINING_SECONDS = 60;

export function checkTokens(
  given: GivenTokens,
  targets: readonly HubTarget[],
  nowSeconds: number,
): TokenCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const gke = targets.filter((t) => t.provider === 'gcp').map((t) => t.hub);
  if (gke.length > 0 && given.idToken === undefined) {
    problems.push(
      `input "id-token": required for GKE hubs behind IAP (${gke.join(', ')}); mint it with google-github-actions/auth (token_format: id_token, id_token_audience: the IAP OAuth client id)`,
    );
  }
  const inputs: [string, string | undefined][] = [
    ['id-token', given.idToken],
    ['unauthorized-id-token', given.unauthorizedIdToken],
    ['wrong-audience-id-token', given.wrongAudienceIdToken],
  ];
  for (const [name, token] of inputs) {
    if (token === undefined) continue;
    const claims = readUnverifiedClaims(token);
    if (claims === undefined) {
      warnings.push(`input "${name}" is not a JWT; IAP accepts only Google-signed OpenID Connect ID tokens`);
    } else if (claims.exp !== undefined && claims.exp <= nowSeconds) {
      problems.push(
        `input "${name}": the token has expired; mint it in the same job, right before smoke-iap`,
      );
    } else if (claims.exp !== undefined && claims.exp - nowSeconds < MIN_REMAINING_SECONDS) {
      warnings.push(
        `input "${name}": the token expires within a minute; a refusal late in the run may be its expiry, not the hub`,
      );
    }
  }
  // The README promises both probes; a run without their tokens says so instead of passing quietly.
  if (gke.length > 0 && given.unauthorizedIdToken === undefined) {
    warnings.push(
      `input "unauthorized-id-token" not given: the 403 probe (an identity without roles/iap.httpsResourceAccessor) was not run for ${gke.join(', ')}; pass an ID token (same audience) of a second identity that has no IAP role`,
    );
  }
  if (gke.length > 0 && given.wrongAudienceIdToken === undefined) {
    warnings.push(
      `input "wrong-audience-id-token" not given: a load balancer that does not check the token's audience is not caught for ${gke.join(', ')}; pass an ID token of the authorised identity minted for another audience`,
    );
  }
  if (gke.length === 0 && given.idToken !== undefined) {
    warnings.push(
      'input "id-token" is not used: none of the selected hubs is behind IAP (EKS hubs use GitHub OAuth)',
    );
  }
  return { problems, warnings };
}

/** An audience no IAP OAuth client has. */
export const OTHER_AUDIENCE = 'hubfleet-smoke-iap-not-an-iap-client';

/** The tokens probes carry, by credential; the forged ones are made here, for this run only. */
export function tokensForRun(given: GivenTokens, nowSeconds: number): Partial<Record<Credential, string>> {
  const like = given.idToken === undefined ? undefined : readUnverifiedClaims(given.idToken);
  const tokens: Partial<Record<Credential, string>> = {
    // Imitates the real token's audience and identity, so only the signature is wrong.
    forged: forgeIdToken({ like, nowSeconds }),
    // Wrong signature and wrong audience: refused by anything that checks either.
    'forged-other-audience': forgeIdToken({ like: { ...like, aud: OTHER_AUDIENCE }, nowSeconds }),
  };
  if (given.idToken !== undefined) tokens.authorized = given.idToken;
  if (given.unauthorizedIdToken !== undefined) tokens.unauthorized = given.unauthorizedIdToken;
  if (given.wrongAudienceIdToken !== undefined) tokens['wrong-audience'] = given.wrongAudienceIdToken;
  return tokens;
}
