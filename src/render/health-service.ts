// The hub side of the health check (docs/decisions/0034-hub-health-check.md): a JupyterHub service
// `hubfleet-health` whose token starts, reaches and stops the server of one user,
// `hubfleet-health`, and nothing else. No IAP identity can be that user: the IAP authenticator
// names users by their email address, which always holds an `@`.
//
// The token never reaches the values. z2jh's jupyterhub_config.py overwrites the api_token of every
// `hub.services` entry with one it generates into its own `hub` Secret
// (`service["api_token"] = get_secret_value(f"hub.services.{key}.apiToken")`), which deploy-hub
// could not rotate; so the service is not a `hub.services` entry. deploy-hub keeps the token in its
// own Secret; `hub.extraEnv` hands it to the hub pod by secretKeyRef, and a `hub.extraConfig`
// snippet (z2jh exec()s them after its services and loadRoles loops) registers the service and its
// roles from that variable. The snippet is the same for every hub and holds no secret.
// A leaf module (it imports nothing of hubfleet): src/config/owned-values.ts reads its names to
// refuse hub values that would change them.

export const HEALTH_SERVICE_NAME = 'hubfleet-health';
/** The only user the service may act on; never an email, so never an IAP identity. */
export const HEALTH_USER = 'hubfleet-health';
/** The hub pod's variable holding the service token (from the Secret, by secretKeyRef). */
export const HEALTH_TOKEN_ENV = 'HUBFLEET_HEALTH_API_TOKEN';
/** hub.extraConfig key of the snippet; z2jh runs the snippets in key order. */
export const HEALTH_EXTRA_CONFIG_KEY = 'hubfleet-health-service';

/** The Secret deploy-hub creates and rotates in the hub's namespace, and its key. */
export const HEALTH_TOKEN_SECRET = 'hubfleet-health-token';
export const HEALTH_TOKEN_KEY = 'token';

/**
 * The least scopes (JupyterHub's scopes reference, "Scopes in JupyterHub"): `servers` starts and
 * stops the user's default server and reads its state and progress (it includes `read:servers`),
 * `access:servers` reaches the running server; both filtered to the one user. No admin, no
 * `users`, no `tokens`: the service cannot act as anyone, not even as its own user.
 */
export const HEALTH_SCOPES: readonly string[] = [
  `servers!user=${HEALTH_USER}`,
  `access:servers!user=${HEALTH_USER}`,
];

/** A role whose only member is the health user: JupyterHub creates a user named in a role at startup (app.py init_role_assignment). */
const USER_ROLE = `${HEALTH_SERVICE_NAME}-user`;

/** The hub.extraConfig snippet (the same for every hub). */
export function healthServiceSnippet(): string {
  const service = JSON.stringify(HEALTH_SERVICE_NAME);
  return [
    '# hubfleet health check: the service and its least-scoped role (rendered by hubfleet).',
    '# The token comes from the Secret deploy-hub rotates, never from the values.',
    'import os as _hubfleet_os',
    `_hubfleet_health_token = _hubfleet_os.environ.get(${JSON.stringify(HEALTH_TOKEN_ENV)}, "")`,
    'if _hubfleet_health_token:',
    `    c.JupyterHub.services.append({"name": ${service}, "api_token": _hubfleet_health_token})`,
    '    c.JupyterHub.load_roles.append(',
    `        {"name": ${service}, "scopes": ${JSON.stringify(HEALTH_SCOPES)}, "services": [${service}]}`,
    '    )',
    `    c.JupyterHub.load_roles.append({"name": ${JSON.stringify(USER_ROLE)}, "scopes": [], "users": [${JSON.stringify(HEALTH_USER)}]})`,
    'else:',
    '    # A hub without the Secret (installed by hand) still serves its users; the check then',
    '    # fails with 403 at its first step and says why.',
    `    print("hubfleet: no ${HEALTH_TOKEN_ENV}; the ${HEALTH_SERVICE_NAME} service is not registered")`,
    'del _hubfleet_health_token',
    '',
  ].join('\n');
}

export interface HealthHubValues {
  extraEnv: Record<string, unknown>;
  extraConfig: Record<string, string>;
}

/** The `hub.extraEnv` and `hub.extraConfig` entries of every hub. */
export function healthServiceValues(): HealthHubValues {
  return {
    extraEnv: {
      [HEALTH_TOKEN_ENV]: {
        // optional: a missing Secret must not keep the hub pod from starting.
        valueFrom: { secretKeyRef: { name: HEALTH_TOKEN_SECRET, key: HEALTH_TOKEN_KEY, optional: true } },
      },
    },
    extraConfig: { [HEALTH_EXTRA_CONFIG_KEY]: healthServiceSnippet() },
  };
}

/** The hub pod annotation that restarts the hub when deploy-hub rotates the token. */
export const HEALTH_TOKEN_ROTATED_ANNOTATION = 'hubfleet.io/health-token-rotated-at';

/** Adds the health service's entries to a hub's `hub` values (beside the authenticator's). */
export function addHealthService(hubValues: Record<string, unknown>, rotatedAt?: string): void {
  const own = healthServiceValues();
  const record = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  hubValues.extraEnv = { ...record(hubValues.extraEnv), ...own.extraEnv };
  hubValues.extraConfig = { ...record(hubValues.extraConfig), ...own.extraConfig };
  if (rotatedAt !== undefined) {
    hubValues.annotations = {
      ...record(hubValues.annotations),
      [HEALTH_TOKEN_ROTATED_ANNOTATION]: rotatedAt,
    };
  }
}
