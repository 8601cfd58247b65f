// The environment hubfleet hands the programs it runs (helm and its plugins, kubectl and its exec
// credential plugins, terraform and its providers, git). An action's process holds every input as
// INPUT_<NAME> (actions/toolkit core getInput reads them from process.env), among them the run's
// secrets (deploy-hub's oauth-client-secrets is `toJSON(secrets)`), the GKE access token and the
// IAP ID tokens; and the runner's own tokens: ACTIONS_ID_TOKEN_REQUEST_TOKEN/URL mint new OIDC
// tokens for this job's identity, ACTIONS_RUNTIME_TOKEN writes artifacts and caches. None of them is
// needed by a child, and a chart plugin or a provider could read and send them anywhere. The cloud
// logins' own variables stay (GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_*, AWS_*): the children act
// as the job's identity through them. google-github-actions/auth writes the OIDC request token into
// the credentials file it points GOOGLE_APPLICATION_CREDENTIALS at, so the Google client libraries
// do not read ACTIONS_ID_TOKEN_REQUEST_* from the environment.

/** Exact names a child never gets. */
const DROPPED = new Set([
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'GITHUB_TOKEN',
  'GH_TOKEN',
]);

/** Prefixes a child never gets: the action's inputs and the state saved between its steps. */
const DROPPED_PREFIXES = ['INPUT_', 'STATE_'];

export function isDropped(name: string): boolean {
  const upper = name.toUpperCase();
  return DROPPED.has(upper) || DROPPED_PREFIXES.some((p) => upper.startsWith(p));
}

/** `base` (default process.env) without what a child must not see, then `extra` over it. */
export function childEnv(
  base: NodeJS.ProcessEnv = process.env,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !isDropped(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (!isDropped(name)) env[name] = value;
  }
  return env;
}
