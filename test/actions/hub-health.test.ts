// The committed hub-health bundle, run as a runner runs it, against the doubles: the Kubernetes
// API double holds the token Secret deploy-hub made, the IAP double fronts the hubs (its hub
// stand-in is no JupyterHub, so the check fails at start and says why), the GitHub double keeps
// the issues. What a real hub does is test/hub-health's business; this proves the door: inputs,
// the token read from the Secret and masked before use, the summary, outputs and issues.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { compareActionYml, loadActionYml } from '../../src/action/action-yml.js';
import { healthInputs, healthOutputs } from '../../actions/hub-health/inputs.js';
import { runBundle, repoRoot } from '../support/bundle-harness.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { startIapDouble, type IapDouble } from '../support/iap-double.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';
import { createTestCa, type TestCa } from '../support/openssl-certs.js';

const REPOSITORY = 'hubfleet-org/fleet';
const GITHUB_TOKEN = 'ghs_hubHealthTestToken0000000000000000';
const CONFIG = join(repoRoot, 'test/fixtures/smoke-iap/config');
const ALLOWED = 'smoke@fleet.iam.gserviceaccount.com';
/** The service token in ocean's Secret: it must reach no log, summary, output or issue. */
const CANARY = 'canary-health-token-7f3c9a1e5b2d4c6a8e0f1a2b3c4d5e6f';

it('action.yml and inputs.ts declare the same inputs and outputs', async () => {
  const yml = await loadActionYml(`${repoRoot}/actions/hub-health/action.yml`);
  expect(compareActionYml(yml, healthInputs, healthOutputs)).toEqual([]);
});

describeWithKubectl('hub-health bundle against the doubles', () => {
  let ca: TestCa;
  let iap: IapDouble;
  let gh: GitHubDouble;
  let kube: KubeApiDouble;
  beforeAll(async () => {
    ca = await createTestCa();
    kube = await startKubeApiDouble();
    iap = await startIapDouble({
      ca,
      hubs: [
        { domain: 'ocean.smoke.hubs.test', namespace: 'ocean' },
        { domain: 'ocean-staging.smoke.hubs.test', namespace: 'ocean-staging' },
      ],
      allowed: [ALLOWED],
    });
    gh = await startGitHubDouble({ repository: REPOSITORY, token: GITHUB_TOKEN });
    kube.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hubfleet-health-token', namespace: 'ocean' },
      data: { token: Buffer.from(CANARY).toString('base64') },
    });
  });
  afterAll(async () => {
    await iap.close();
    await gh.close();
    await kube.close();
    await ca.remove();
  });

  it('reads and masks the token, fails each hub at start with the reason, and opens one unhealthy issue per hub', async () => {
    const idToken = iap.mintIdToken(ALLOWED);
    const run = await runBundle('actions/hub-health', {
      githubToken: GITHUB_TOKEN,
      inputs: {
        cluster: 'smoke-gcp',
        hubs: 'ocean, ocean-staging',
        'config-dir': CONFIG,
        'id-token': idToken,
        kubeconfig: kube.kubeconfigPath,
        'connect-to': iap.connectTo,
        attempts: '1',
        'spawn-timeout': '10s',
        'retry-budget': '1m',
        'report-issues': 'true',
      },
      env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPOSITORY, NODE_EXTRA_CA_CERTS: ca.caPath },
      timeoutMs: 60_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ 'unhealthy-hubs': '["ocean","ocean-staging"]', verdict: 'unhealthy' });
    expect(run.masks).toContain(CANARY);
    expect(run.masks).toContain(idToken);
    expect(run.summary).toContain('### ❌ 2 of 2 hub(s) of smoke-gcp unhealthy: ocean, ocean-staging');
    expect(run.summary).toMatch(
      /\n\| ocean \| ❌ start \| 1 \| ❌ \d+\.\d s \| not reached \| not reached \| off \| off \| ❌ \d+\.\d s \|\n\| ocean-staging \| ❌ start \| 0 \| ❌ 0\.0 s \| not reached \| not reached \| off \| off \| not reached \|\n/,
    );
    expect(run.summary).toContain(
      "**Failed at start:** reading user hubfleet-health: the answer is not JupyterHub's JSON (HTTP 200: &lt;html&gt;&lt;body&gt;JupyterHub home&lt;/body&gt;&lt;/html&gt;)",
    );
    expect(run.summary).toContain(
      '**Failed at start:** Secret ocean-staging/hubfleet-health-token has no token: deploy the hub with deploy-hub, which creates it',
    );
    // The check went through IAP with the ID token; the hub without a token got no request.
    const paths = iap.requests.map((r) => `${r.host} ${r.credential} ${r.path}`);
    expect(paths).toContain('ocean.smoke.hubs.test proxy-authorization /hub/api/users/hubfleet-health');
    expect(paths.filter((p) => p.startsWith('ocean-staging'))).toEqual([]);
    expect(gh.state.issues.map((i) => [i.title, i.state])).toEqual([
      ['Hub smoke-gcp/ocean is unhealthy: start fails', 'open'],
      ['Hub smoke-gcp/ocean-staging is unhealthy: start fails', 'open'],
    ]);
    // Canary: the service token and the ID token appear nowhere a person or a workflow reads.
    const log = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    const issues = JSON.stringify(gh.state.issues) + JSON.stringify(gh.state.comments);
    for (const channel of [log, run.stderr, run.summary, JSON.stringify(run.outputs), issues]) {
      expect(channel.includes(CANARY)).toBe(false);
      expect(channel.includes(idToken)).toBe(false);
    }
  }, 90_000);
});
