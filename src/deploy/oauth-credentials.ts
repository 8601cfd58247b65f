// Which OAuth client credentials each hub's Secret is made from. A hub names a GitHub Actions secret
// (`iap.oauthClient.secret` on GKE, `auth.github.secret` on EKS) that holds
// `{"client_id": …, "client_secret": …}` as JSON. A workflow deploying a list of hubs cannot pass one
// `with:` value per hub, so it passes its secrets as one JSON object (`${{ toJSON(secrets) }}`) and
// this picks out, per hub, only the secret that hub names. Pure: no value is ever put in a message.
import { HubfleetError } from '../errors.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { expectedSecrets } from '../render/names.js';
import type { OAuthClientCredentials } from './deploy-hub.js';

/** GitHub secrets by name, as `toJSON(secrets)` gives them. */
export type SecretsByName = Readonly<Record<string, unknown>>;

export interface CredentialSources {
  /** `oauth-client-id` / `oauth-client-secret`: one hub's client, given directly. */
  direct?: OAuthClientCredentials;
  /** `oauth-client-secrets`: every secret of the workflow, by name. */
  byName?: SecretsByName;
}

/**
 * The credentials for each hub that needs a custom OAuth client (hubs with Google's managed client
 * are absent), or one error listing every hub whose secret is missing or malformed.
 */
export function oauthCredentialsByHub(
  cluster: LoadedCluster,
  hubs: readonly LoadedHub[],
  sources: CredentialSources,
): Map<string, OAuthClientCredentials> {
  const found = new Map<string, OAuthClientCredentials>();
  const problems: string[] = [];
  for (const hub of hubs) {
    const [expected] = expectedSecrets(cluster, hub);
    if (expected === undefined) continue;
    if (sources.direct !== undefined) {
      found.set(hub.config.name, sources.direct);
      continue;
    }
    const name = expected.fromGithubSecret;
    const raw = sources.byName?.[name];
    const where = `${hub.file}: hub ${hub.config.name} needs the GitHub secret ${name}`;
    if (sources.byName === undefined) {
      problems.push(`${where}, but neither oauth-client-secrets nor oauth-client-id/-secret was given`);
    } else if (typeof raw !== 'string' || raw === '') {
      problems.push(`${where}, which this workflow run does not have`);
    } else {
      const parsed = parseClient(raw);
      if (parsed === undefined)
        problems.push(`${where}, whose value is not JSON {"client_id": "…", "client_secret": "…"}`);
      else found.set(hub.config.name, parsed);
    }
  }
  if (problems.length > 0) {
    throw new HubfleetError(`missing OAuth client credentials: ${problems.join('; ')}`, {
      hint: 'create each secret (repository or the environment the job runs in) holding {"client_id": "…", "client_secret": "…"}, and pass oauth-client-secrets: ${{ toJSON(secrets) }}; nothing was applied',
    });
  }
  return found;
}

function parseClient(raw: string): OAuthClientCredentials | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { client_id: clientId, client_secret: clientSecret } = value as Record<string, unknown>;
  if (
    typeof clientId !== 'string' ||
    clientId === '' ||
    typeof clientSecret !== 'string' ||
    clientSecret === ''
  )
    return undefined;
  return { clientId, clientSecret };
}
