// The programs hubfleet runs never see the action's inputs or the runner's tokens: checked on the
// table, and through the real helm adapter and terraform adapter running a program that prints
// its environment.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv } from './child-env.js';
import { createHelmClient } from './helm.js';
import { createKubeClient } from './kube.js';
import { createTerraform } from './terraform.js';

/** What an action's process holds while deploy-hub runs (names from actions/deploy-hub/action.yml). */
const ACTION_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  KUBECONFIG: '/tmp/kubeconfig',
  GOOGLE_APPLICATION_CREDENTIALS: '/tmp/gha-creds.json',
  CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: '/tmp/gha-creds.json',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-example',
  AWS_SESSION_TOKEN: 'aws-session-example',
  HTTPS_PROXY: 'http://bastion:3128',
  'INPUT_OAUTH-CLIENT-SECRETS': '{"IAP_OAUTH_OCEAN":"{\\"client_secret\\":\\"canary-secret\\"}"}',
  'INPUT_GCP-ACCESS-TOKEN': 'ya29.canary',
  'INPUT_ID-TOKEN': 'eyJ.canary',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-canary',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/request',
  ACTIONS_RUNTIME_TOKEN: 'runtime-canary',
  ACTIONS_RESULTS_URL: 'https://results.example/',
  ACTIONS_CACHE_URL: 'https://cache.example/',
  GITHUB_TOKEN: 'ghs_canary',
  GH_TOKEN: 'ghs_canary',
  STATE_isPost: 'true',
  GITHUB_REPOSITORY: 'example-org/fleet',
};

const KEPT = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
  'GITHUB_REPOSITORY',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'HOME',
  'HTTPS_PROXY',
  'KUBECONFIG',
  'PATH',
];

describe('childEnv', () => {
  it('keeps the cloud logins and the job context, and drops every input, state and runner token', () => {
    expect(Object.keys(childEnv(ACTION_ENV)).sort()).toEqual(KEPT);
  });

  it('lets extra variables in over the base, but never a dropped name', () => {
    expect(
      childEnv({ PATH: '/bin', KUBECONFIG: '/a' }, { KUBECONFIG: '/b', INPUT_X: 'y', input_lower: 'z' }),
    ).toEqual({ PATH: '/bin', KUBECONFIG: '/b' });
  });
});

describe('the adapters run their programs with it', () => {
  let dir = '';
  const saved = { ...process.env };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubfleet-child-env-'));
    for (const [k, v] of Object.entries(ACTION_ENV)) if (k !== 'PATH') process.env[k] = v;
  });
  afterEach(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await rm(dir, { recursive: true, force: true });
  });

  /** A program that writes the names in its environment to `<dir>/<name>.env` and prints `[]`. */
  async function program(name: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\nenv | cut -d= -f1 | sort > "${dir}/${name}.env"\necho '[]'\n`, {
      mode: 0o755,
    });
    return path;
  }
  const seen = async (name: string): Promise<string[]> =>
    (await readFile(join(dir, `${name}.env`), 'utf8')).trim().split('\n');
  const leaked = (names: string[]): string[] =>
    names.filter((n) => /^(INPUT_|STATE_)|TOKEN$|^ACTIONS_/i.test(n) && n !== 'AWS_SESSION_TOKEN');

  it('helm', async () => {
    await createHelmClient({ helm: await program('helm') }).history('ocean', 'ocean');
    const names = await seen('helm');
    expect(leaked(names)).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['GOOGLE_APPLICATION_CREDENTIALS', 'AWS_SESSION_TOKEN']));
  });

  it('kubectl', async () => {
    await createKubeClient({ kubectl: await program('kubectl') })
      .get({ apiVersion: 'v1', kind: 'Namespace', name: 'ocean' })
      .catch(() => undefined);
    const names = await seen('kubectl');
    expect(leaked(names)).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['KUBECONFIG', 'HTTPS_PROXY']));
  });

  it('terraform', async () => {
    const tf = createTerraform({
      binary: await program('terraform'),
      moduleDir: dir,
      dataDir: join(dir, 'data'),
    });
    await tf.version().catch(() => undefined);
    const names = await seen('terraform');
    expect(leaked(names)).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['GOOGLE_APPLICATION_CREDENTIALS', 'TF_IN_AUTOMATION']));
  });
});
