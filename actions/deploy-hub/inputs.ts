import { splitHubNames } from '../../src/action/hub-selection.js';
import { defineInputs, invalidInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';
import { durationMs } from '../../src/adapters/helm.js';
import type { OAuthClientCredentials } from '../../src/deploy/deploy-hub.js';

const isAnnotationMap = (v: unknown): v is Record<string, Record<string, string>> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every(
    (inner) =>
      typeof inner === 'object' &&
      inner !== null &&
      !Array.isArray(inner) &&
      Object.values(inner as Record<string, unknown>).every((x) => typeof x === 'string'),
  );

const isSecretsObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const deployHubInputs = defineInputs({
  cluster: { kind: 'string', required: true },
  hub: { kind: 'string' },
  hubs: { kind: 'string' },
  'config-dir': { kind: 'string', default: 'config' },
  'sa-annotations': {
    kind: 'json',
    guard: isAnnotationMap,
    expected: 'a JSON object {namespace: {annotation: value}} (apply-iam output sa-annotations)',
  },
  timeout: { kind: 'string', default: '10m' },
  mode: { kind: 'enum', values: ['deploy', 'rollback', 'uninstall'], default: 'deploy' },
  concurrency: { kind: 'integer', min: 1, max: 32, default: '4' },
  'oauth-client-id': { kind: 'string', secret: true },
  'oauth-client-secret': { kind: 'string', secret: true },
  'oauth-client-secrets': {
    kind: 'json',
    secret: true,
    guard: isSecretsObject,
    expected: 'a JSON object of secrets by name (pass ${{ toJSON(secrets) }})',
  },
  'compute-api-url': { kind: 'string', default: 'https://compute.googleapis.com' },
  'gcp-access-token': { kind: 'string', secret: true },
});

export const deployHubOutputs = defineOutputs([
  'url',
  'certificate',
  'ingress',
  'namespace',
  'revision',
  'iap-audience',
]);
export type DeployHubOutputs = OutputsOf<typeof deployHubOutputs>;

export interface DeployHubInputs {
  cluster: string;
  /** Hub names in the order given, without duplicates. */
  hubs: string[];
  /** One hub given through `hub` (outputs are plain strings) rather than a list (JSON maps). */
  single: boolean;
  configDir: string;
  saAnnotations: Record<string, Record<string, string>> | undefined;
  timeout: string;
  mode: 'deploy' | 'rollback' | 'uninstall';
  concurrency: number;
  oauthClient: OAuthClientCredentials | undefined;
  /** Every secret of the workflow run by name; each hub takes only the one its config names. */
  oauthClientSecrets: Record<string, unknown> | undefined;
  computeApiUrl: string;
  gcpAccessToken: string | undefined;
}

export function readDeployHubInputs(): DeployHubInputs {
  const i = readInputs(deployHubInputs);
  const problems: string[] = [];
  const list = splitHubNames(i.hubs ?? '');
  if (i.hub !== undefined && list.length > 0)
    problems.push('inputs "hub" and "hubs": give one of them, not both');
  if (i.hub === undefined && list.length === 0)
    problems.push('inputs "hub" and "hubs": one of them is required');
  try {
    durationMs(i.timeout);
  } catch {
    problems.push(`input "timeout": ${JSON.stringify(i.timeout)} is not a duration like 10m or 90s`);
  }
  if ((i.oauthClientId === undefined) !== (i.oauthClientSecret === undefined)) {
    problems.push('inputs "oauth-client-id" and "oauth-client-secret": give both or neither');
  }
  if (i.mode === 'deploy' && i.saAnnotations === undefined) {
    problems.push('input "sa-annotations": required in deploy mode (apply-iam output sa-annotations)');
  }
  const hubs = i.hub !== undefined ? [i.hub.trim()] : list;
  if (i.oauthClientId !== undefined && hubs.length > 1) {
    problems.push(
      'inputs "oauth-client-id"/"oauth-client-secret": apply to one hub; deploy hubs with a custom OAuth client one at a time',
    );
  }
  if (i.oauthClientId !== undefined && i.oauthClientSecrets !== undefined) {
    problems.push(
      'inputs "oauth-client-id"/"oauth-client-secret" and "oauth-client-secrets": give one way, not both',
    );
  }
  if (i.mode === 'uninstall' && (i.oauthClientId !== undefined || i.oauthClientSecrets !== undefined)) {
    problems.push('inputs "oauth-client-*": not used in uninstall mode; leave them out');
  }
  if (problems.length > 0) throw invalidInputs(problems);
  return {
    cluster: i.cluster,
    hubs,
    single: i.hub !== undefined,
    configDir: i.configDir,
    saAnnotations: i.saAnnotations,
    timeout: i.timeout,
    mode: i.mode,
    concurrency: i.concurrency,
    oauthClient:
      i.oauthClientId !== undefined && i.oauthClientSecret !== undefined
        ? { clientId: i.oauthClientId, clientSecret: i.oauthClientSecret }
        : undefined,
    oauthClientSecrets: i.oauthClientSecrets,
    computeApiUrl: i.computeApiUrl,
    gcpAccessToken: i.gcpAccessToken,
  };
}
