// End to end: the committed smoke-iap bundle, run as a runner runs it, against the IAP double
// (reached through connect-to, trusted through NODE_EXTRA_CA_CERTS) and the GitHub double.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { compareActionYml, loadActionYml } from '../../src/action/action-yml.js';
import { smokeInputs, smokeOutputs } from '../../actions/smoke-iap/inputs.js';
import { runBundle, repoRoot, type BundleRun } from '../support/bundle-harness.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { SOUND, startIapDouble, type IapDouble, type IapSwitches } from '../support/iap-double.js';
import { startComputeDouble, type ComputeDouble } from '../support/compute-double.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';
import { createTestCa, type TestCa } from '../support/openssl-certs.js';
import type { KubeObject } from '../../src/render/manifests.js';

const REPOSITORY = 'hubfleet-org/fleet';
const GITHUB_TOKEN = 'ghs_smokeIapTestToken00000000000000000';
const CONFIG = join(repoRoot, 'test/fixtures/smoke-iap/config');
const ALLOWED = 'smoke@fleet.iam.gserviceaccount.com';
const OCEAN = { domain: 'ocean.smoke.hubs.test', namespace: 'ocean' };
const OCEAN_STAGING = { domain: 'ocean-staging.smoke.hubs.test', namespace: 'ocean-staging' };
const GLACIER = { domain: 'glacier-staging.smoke.hubs.test', namespace: 'glacier-staging', iap: false };

let ca: TestCa;
let iap: IapDouble;
let gh: GitHubDouble;

beforeAll(async () => {
  ca = await createTestCa();
  iap = await startIapDouble({ ca, hubs: [OCEAN, OCEAN_STAGING, GLACIER], allowed: [ALLOWED] });
  gh = await startGitHubDouble({ repository: REPOSITORY, token: GITHUB_TOKEN });
});
afterAll(async () => {
  await iap.close();
  await gh.close();
  await ca.remove();
});
beforeEach(() => iap.set({ ...SOUND }));

interface Tokens {
  id: string;
  unauthorized: string;
  wrongAudience: string;
}
const tokenList = (t: Tokens): string[] => [t.id, t.unauthorized, t.wrongAudience];
const mint = (): Tokens => ({
  id: iap.mintIdToken(ALLOWED),
  unauthorized: iap.mintIdToken('outsider@example.org'),
  wrongAudience: iap.mintIdToken(ALLOWED, { aud: 'some-other-client' }),
});

async function smoke(
  inputs: Record<string, string>,
  tokens: Tokens = mint(),
  env: Record<string, string> = {},
): Promise<BundleRun & { tokens: Tokens }> {
  const run = await runBundle('actions/smoke-iap', {
    githubToken: GITHUB_TOKEN,
    inputs: {
      cluster: 'smoke-gcp',
      'config-dir': CONFIG,
      'id-token': tokens.id,
      'unauthorized-id-token': tokens.unauthorized,
      'wrong-audience-id-token': tokens.wrongAudience,
      'connect-to': iap.connectTo,
      attempts: '3',
      'attempt-timeout': '2s',
      ...inputs,
    },
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPOSITORY, NODE_EXTRA_CA_CERTS: ca.caPath, ...env },
    timeoutMs: 60_000,
  });
  // Canary: no token, real or forged, in any channel a person or a workflow can read.
  const given = tokenList(tokens).filter((t) => t !== '');
  const forged = run.masks.filter((m) => m.split('.').length === 3 && !given.includes(m));
  // The two forged tokens are made only once the inputs are accepted, before any probe.
  expect(forged).toHaveLength(run.stdout.includes('::group::Probe ') ? 2 : 0);
  const secrets = [...given, ...forged, GITHUB_TOKEN];
  // The runner swallows ::add-mask:: commands; everything else on stdout is the visible log.
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const channels = [log, run.stderr, run.summary, JSON.stringify(run.outputs)];
  for (const channel of channels) for (const secret of secrets) expect(channel.includes(secret)).toBe(false);
  for (const t of given) expect(run.masks).toContain(t);
  return { ...run, tokens };
}

const failure = (run: BundleRun): string[] =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('smoke-iap declarations', () => {
  it('action.yml and inputs.ts declare the same inputs and outputs', async () => {
    const yml = await loadActionYml(`${repoRoot}/actions/smoke-iap/action.yml`);
    expect(compareActionYml(yml, smokeInputs, smokeOutputs)).toEqual([]);
  });
});

describe('smoke-iap bundle against the IAP double', () => {
  it('sound GKE hubs pass, three runs in a row; the Service check without kubeconfig is skipped, not passed', async () => {
    for (let i = 0; i < 3; i++) {
      const run = await smoke({});
      expect([run.exitCode, failure(run)]).toEqual([0, []]);
      expect(run.outputs).toEqual({
        'exposed-hubs': '[]',
        'down-hubs': '[]',
        'misbehaving-hubs': '[]',
        verdict: 'pass',
      });
      expect(run.summary).toContain(
        '### ✅ smoke-iap smoke-gcp: 2 hubs checked: every hub answers only through its front door',
      );
      expect(run.summary).toContain(
        '| ocean | ocean.smoke.hubs.test | pass |  | proxy-public-service: no kubeconfig',
      );
      expect(run.summary).toContain('Skipped checks are not passes');
    }
  });

  // [setup, switches, the summary's words, the failure line's words for the hub]
  const broken: [string, Partial<IapSwitches>, string, string][] = [
    [
      'IAP disabled',
      { iap: 'disabled' },
      'browser-no-credentials: answered 200 without any credentials',
      'browser-no-credentials answered 200 without any credentials (+5 more checks)',
    ],
    [
      'any token accepted',
      { tokens: 'any-accepted' },
      'forged-token: answered 200 to a forged token',
      'forged-token answered 200 to a forged token (signed by a key IAP cannot know) (+3 more checks)',
    ],
    [
      'wrong audience accepted',
      { tokens: 'wrong-audience-accepted' },
      'wrong-audience-token: answered 200 to an ID token issued for another audience',
      'wrong-audience-token answered 200 to an ID token issued for another audience',
    ],
    [
      'plain HTTP serving content',
      { plainHttp: 'content' },
      'plain-http: plain HTTP answered 200 with content',
      'plain-http plain HTTP answered 200 with content instead of redirecting to https',
    ],
    [
      'TLS name mismatch',
      { certificate: 'wrong-name' },
      'browser-no-credentials: the certificate served for the domain does not name it',
      "browser-no-credentials the certificate served for the domain does not name it: Hostname/IP does not match certificate's altnames: Host: ocean.smoke.hubs.test. is not in the cert's altnames: DNS:wrong-name.invalid (+7 more checks)",
    ],
  ];
  it.each(broken)('%s: the step fails, names the hub and how', async (_name, switches, how, first) => {
    iap.set(switches);
    const run = await smoke({ hubs: 'ocean' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({
      'exposed-hubs': '["ocean"]',
      'down-hubs': '[]',
      'misbehaving-hubs': '[]',
      verdict: 'exposed',
    });
    expect(failure(run)).toEqual([
      `smoke-iap smoke-gcp: 1 hub checked: 1 exposed (ocean) — ocean: ${first}; treat it as a security incident: see the job summary for which check let what through, fix the IAP/Service setup and re-run`,
    ]);
    expect(run.summary).toContain('### ❌ smoke-iap smoke-gcp: 1 hub checked: 1 exposed (ocean)');
    expect(run.summary).toContain(how);
  });

  it('a down hub is reported as down, not exposed', async () => {
    iap.set({ hub: 'down' });
    const run = await smoke({ hubs: 'ocean', attempts: '2', 'attempt-timeout': '1s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({
      'exposed-hubs': '[]',
      'down-hubs': '["ocean"]',
      'misbehaving-hubs': '[]',
      verdict: 'down',
    });
    expect(failure(run)).toEqual([
      'smoke-iap smoke-gcp: 1 hub checked: 1 down (ocean) — ocean: authorized-authorization answered 502 (+1 more check); see the job summary for each check; a hub still starting may need more attempts or a longer retry-budget',
    ]);
  });

  it('a hub that answers only after 3 failed attempts passes within the retry budget', async () => {
    iap.set({ failFirst: 3 });
    const run = await smoke({ hubs: 'ocean', attempts: '4', 'attempt-timeout': '2s' });
    expect([run.exitCode, run.outputs.verdict]).toEqual([0, 'pass']);
    expect(run.stdout).toContain('smoke-gcp/ocean browser-no-credentials: 503; attempt 4 in');
  });

  it('an EKS hub (GitHub OAuth) passes without an id-token, and is caught when its login is open', async () => {
    const sound = await smoke(
      { cluster: 'smoke-aws', 'id-token': '', 'unauthorized-id-token': '', 'wrong-audience-id-token': '' },
      { id: '', unauthorized: '', wrongAudience: '' },
    );
    expect([sound.exitCode, sound.outputs.verdict, failure(sound)]).toEqual([0, 'pass', []]);
    iap.set({ hubLogin: 'open' });
    const open = await smoke(
      { cluster: 'smoke-aws', 'id-token': '', 'unauthorized-id-token': '', 'wrong-audience-id-token': '' },
      { id: '', unauthorized: '', wrongAudience: '' },
    );
    expect([open.exitCode, open.outputs['exposed-hubs']]).toEqual([1, '["glacier-staging"]']);
  });

  it('refuses to start a GKE check without id-token, sending nothing', async () => {
    iap.requests.length = 0;
    const run = await smoke(
      { 'id-token': '' },
      { id: '', unauthorized: 'unauthorized-x', wrongAudience: 'wrong-x' },
    );
    expect(run.exitCode).toBe(1);
    expect(failure(run)[0]).toMatch(
      /^smoke-iap cannot start: input "id-token": required for GKE hubs behind IAP \(ocean, ocean-staging\)/,
    );
    expect(iap.requests).toEqual([]);
  });
});

describe('smoke-iap bad input', () => {
  it('reports every bad input at once, names connect-to lines, and sends nothing', async () => {
    iap.requests.length = 0;
    const run = await smoke({
      'connect-to': 'ocean.smoke.hubs.test:443:127.0.0.1\nok.test:80:127.0.0.1:99999',
      path: 'hub/health',
      attempts: '0',
    });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toEqual([
      '1 invalid input: input "attempts": expected an integer from 1 to 50, got "0"; fix the step\'s `with:` block (each input is described in the action\'s action.yml)',
    ]);
    const second = await smoke({
      'connect-to': 'ocean.smoke.hubs.test:443:127.0.0.1\nok.test:80:127.0.0.1:99999',
      path: 'hub/health',
    });
    expect(failure(second)[0]).toMatch(
      /^2 invalid inputs: input "path": expected an absolute URL path like \/hub\/health, got "hub\/health"; input "connect-to": line 1 "ocean\.smoke\.hubs\.test:443:127\.0\.0\.1": expected 4 fields separated by ":", found 3; line 2 .*PORT2 "99999" is not a port/,
    );
    expect(iap.requests).toEqual([]);
  });

  it('names an unknown hub with a guess', async () => {
    const run = await smoke({ hubs: 'ocaen' });
    expect(failure(run)).toEqual([
      'cluster smoke-gcp has no hub named ocaen (did you mean ocean?); hubs of smoke-gcp: ocean, ocean-staging; or use all',
    ]);
  });
});

describe('smoke-iap issues', () => {
  it('opens the critical exposure issue, keeps down separate, and closes them when the hub is sound again', async () => {
    const issuesFor = (
      prefix: string,
    ): { number: number; state: string; labels: string[]; title: string }[] =>
      gh.state.issues
        .filter((i) => (i.body ?? '').includes(`<!-- hubfleet:issue:${prefix} -->`))
        .map((i) => ({ number: i.number, state: i.state, labels: [...i.labels].sort(), title: i.title }));

    iap.set({ tokens: 'any-accepted' });
    const exposed = await smoke({ hubs: 'ocean', 'report-issues': 'true' });
    expect(exposed.exitCode).toBe(1);
    const [opened] = issuesFor('exposure:smoke-gcp/ocean');
    expect(opened).toEqual({
      number: expect.any(Number),
      state: 'open',
      labels: ['critical', 'hubfleet'],
      title: 'Hub smoke-gcp/ocean is reachable without IAP',
    });
    expect(issuesFor('down:smoke-gcp/ocean')).toEqual([]);
    const body = gh.state.issues.find((i) => i.number === opened?.number)?.body ?? '';
    expect(body).toContain('## Hub smoke-gcp/ocean is reachable without IAP');
    expect(body).toContain(
      '| forged ID token (signed by a key made up for this run) on /hub/health | 401 | 200 | exposed | 1 | answered 200 to a forged token (signed by a key IAP cannot know) |',
    );
    // The same exposure an hour later: the issue is brought up to date, not commented again.
    const commentsBefore = gh.state.comments.length;
    const again = await smoke({ hubs: 'ocean', 'report-issues': 'true' });
    expect(again.exitCode).toBe(1);
    expect(issuesFor('exposure:smoke-gcp/ocean').map((i) => [i.number, i.state])).toEqual([
      [opened?.number, 'open'],
    ]);
    expect(gh.state.comments.length).toBe(commentsBefore);

    iap.set({ tokens: 'verified', hub: 'down' });
    const down = await smoke({ hubs: 'ocean', 'report-issues': 'true', attempts: '1' });
    expect(down.outputs.verdict).toBe('down');
    expect(issuesFor('exposure:smoke-gcp/ocean').map((i) => i.state)).toEqual(['closed']);
    expect(issuesFor('down:smoke-gcp/ocean').map((i) => [i.state, i.labels, i.title])).toEqual([
      ['open', ['hubfleet'], 'Hub smoke-gcp/ocean is down'],
    ]);

    iap.set({ hub: 'up' });
    const sound = await smoke({ hubs: 'ocean', 'report-issues': 'true' });
    expect(sound.exitCode).toBe(0);
    expect(issuesFor('exposure:smoke-gcp/ocean').map((i) => i.state)).toEqual(['closed']);
    expect(issuesFor('down:smoke-gcp/ocean').map((i) => i.state)).toEqual(['closed']);
    const issueText = JSON.stringify(gh.state.issues) + JSON.stringify(gh.state.comments);
    for (const t of tokenList(sound.tokens)) expect(issueText.includes(t)).toBe(false);
    expect(issueText.includes(GITHUB_TOKEN)).toBe(false);
  });

  it('closes the open issues of a hub removed from the config, and no other', async () => {
    const seed = (key: string): number =>
      gh.seedIssue({ title: key, body: `<!-- hubfleet:issue:${key} -->\nstill broken`, labels: ['hubfleet'] })
        .number;
    const removedDown = seed('down:smoke-gcp/retired');
    const removedCert = seed('cert:smoke-gcp/retired'); // verify-cert's kind: not smoke-iap's to close
    const elsewhere = seed('down:other-cluster/retired');
    const run = await smoke({ hubs: 'ocean', 'report-issues': 'true' });
    expect([run.exitCode, run.outputs.verdict]).toEqual([0, 'pass']);
    const state = (n: number): string | undefined => gh.state.issues.find((i) => i.number === n)?.state;
    expect([state(removedDown), state(removedCert), state(elsewhere)]).toEqual(['closed', 'open', 'open']);
    expect(gh.state.comments.filter((c) => c.issue_number === removedDown).map((c) => c.body)).toEqual([
      'Closed: hub retired is no longer in the config of cluster smoke-gcp, so this check no longer runs for it.',
    ]);
  });
});

describeWithKubectl('smoke-iap proxy-public check through the Kubernetes adapter', () => {
  const COMPUTE_TOKEN = 'ya29.smoke-iap-planner-canary';
  let kube: KubeApiDouble;
  let withKube: IapDouble;
  let compute: ComputeDouble;
  beforeAll(async () => {
    kube = await startKubeApiDouble();
    withKube = await startIapDouble({ ca, hubs: [OCEAN], allowed: [ALLOWED], kube });
    compute = await startComputeDouble({ token: COMPUTE_TOKEN });
  });
  afterAll(async () => {
    await withKube.close();
    await kube.close();
    await compute.close();
  });
  const tokensOf = (): Tokens => ({
    id: withKube.mintIdToken(ALLOWED),
    unauthorized: withKube.mintIdToken('outsider@example.org'),
    wrongAudience: withKube.mintIdToken(ALLOWED, { aud: 'some-other-client' }),
  });

  it('passes a NodePort proxy-public (read with the kubeconfig input) and catches a LoadBalancer', async () => {
    withKube.set({ proxyPublic: 'NodePort' });
    const sound = await smoke(
      { hubs: 'ocean', 'connect-to': withKube.connectTo, kubeconfig: kube.kubeconfigPath },
      tokensOf(),
      { KUBECACHEDIR: kube.cacheDir },
    );
    expect([sound.exitCode, sound.outputs.verdict, failure(sound)]).toEqual([0, 'pass', []]);
    expect(sound.summary).toContain(
      '| proxy-public Service is not a LoadBalancer and has no external IP | not LoadBalancer, no external IP | type NodePort | pass | 1 |  |',
    );
    expect(
      kube.requests.filter((r) => r.method === 'GET' && r.path.includes('/services/')).map((r) => r.path),
    ).toEqual(['/api/v1/namespaces/ocean/services/proxy-public']);

    withKube.set({ proxyPublic: 'LoadBalancer' });
    const exposed = await smoke({ hubs: 'ocean', 'connect-to': withKube.connectTo }, tokensOf(), {
      KUBECONFIG: kube.kubeconfigPath,
      KUBECACHEDIR: kube.cacheDir,
    });
    expect([exposed.exitCode, exposed.outputs['exposed-hubs'], exposed.outputs.verdict]).toEqual([
      1,
      '["ocean"]',
      'exposed',
    ]);
    expect(failure(exposed)).toEqual([
      'smoke-iap smoke-gcp: 1 hub checked: 1 exposed (ocean) — ocean: proxy-public-service Service ocean/proxy-public is of type LoadBalancer and has external address 34.120.0.7: the hub is reachable from outside around the load balancer (no TLS, no IAP); treat it as a security incident: see the job summary for which check let what through, fix the IAP/Service setup and re-run',
    ]);
  });

  const BACKEND = 'k8s1-4f3e2d1c-ocean-proxy-public-80-9a8b7c6d';
  // As ingress-gce annotates the Ingress after its sync (pkg/loadbalancers/l7.go GetLBAnnotations):
  // backend service name → health, the default backend listed too.
  const oceanIngress = (): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'ocean',
      namespace: 'ocean',
      annotations: {
        'ingress.kubernetes.io/backends': JSON.stringify({
          [BACKEND]: 'HEALTHY',
          'k8s1-4f3e2d1c-kube-system-default-http-backend-80-1a2b3c4d': 'HEALTHY',
        }),
      },
    },
  });
  const runWithCompute = (inputs: Record<string, string> = {}): ReturnType<typeof smoke> =>
    smoke(
      {
        hubs: 'ocean',
        'connect-to': withKube.connectTo,
        'report-issues': 'true',
        'compute-api-url': compute.url,
        'gcp-access-token': COMPUTE_TOKEN,
        ...inputs,
      },
      tokensOf(),
      { KUBECONFIG: kube.kubeconfigPath, KUBECACHEDIR: kube.cacheDir },
    ).then((r) => {
      // The Compute token reaches no channel a person or a workflow can read.
      expect(r.masks).toContain(COMPUTE_TOKEN);
      for (const channel of [
        r.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
        r.stderr,
        r.summary,
        JSON.stringify(gh.state),
      ]) {
        expect(channel.includes(COMPUTE_TOKEN)).toBe(false);
      }
      return r;
    });

  it('opens one audience issue for a GKE hub left on the project-wide IAP audience, edits it in place, and closes it once the hub pins its backend', async () => {
    const hubDeployment = (annotations: Record<string, string>): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hub', namespace: 'ocean' },
      spec: { template: { metadata: { annotations } } },
    });
    const issuesFor = (key: string): { number: number; state: string; title: string; body: string }[] =>
      gh.state.issues
        .filter((i) => (i.body ?? '').includes(`<!-- hubfleet:issue:${key} -->`))
        .map((i) => ({ number: i.number, state: i.state, title: i.title, body: i.body ?? '' }));
    const run = (): ReturnType<typeof smoke> =>
      smoke({ hubs: 'ocean', 'connect-to': withKube.connectTo, 'report-issues': 'true' }, tokensOf(), {
        KUBECONFIG: kube.kubeconfigPath,
        KUBECACHEDIR: kube.cacheDir,
      });
    withKube.set({ proxyPublic: 'NodePort' });

    // Deployed before hubfleet recorded the audience: said in the summary, no issue either way.
    kube.put(hubDeployment({ 'hubfleet.io/health-token-rotated-at': '2026-12-01T00:00:00Z' }));
    const unrecorded = await run();
    expect([unrecorded.exitCode, unrecorded.outputs.verdict]).toEqual([0, 'pass']);
    expect(unrecorded.summary).toContain(
      '| ocean | unrecorded | Deployment ocean/hub has no hubfleet.io/iap-audience annotation (deployed before hubfleet recorded it; the next deploy does) |',
    );
    expect(issuesFor('audience:smoke-gcp/ocean')).toEqual([]);

    kube.put(hubDeployment({ 'hubfleet.io/iap-audience': 'project-wide' }));
    const projectWide = await run();
    // Not an exposure (IAP still guards the hub), so the verdict stands; but never silent.
    expect([projectWide.exitCode, projectWide.outputs.verdict]).toEqual([0, 'pass']);
    expect(projectWide.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'smoke-gcp/ocean: the hub accepts the project-wide IAP audience; run deploy-hub for it with gcp-access-token to pin its own backend service',
    ]);
    expect(projectWide.summary).toContain('| ocean | project-wide |  |');
    const [opened, ...more] = issuesFor('audience:smoke-gcp/ocean');
    expect(more).toEqual([]);
    expect([opened?.state, opened?.title]).toEqual([
      'open',
      'Hub smoke-gcp/ocean does not pin the IAP audience of its live backend service',
    ]);
    expect(opened?.body).toContain(
      [
        '## Hub smoke-gcp/ocean accepts IAP assertions for any backend service of its project',
        '',
        'Domain: `ocean.smoke.hubs.test`',
        '',
        "The hub's authenticator checks only the project number in the audience of IAP's signed header, not its own backend service: a header IAP signed for another hub of the same project is accepted here. deploy-hub pins the hub's own backend service once ingress-gce has named it (decision 0023); this hub was left without it (a deploy without `gcp-access-token`, or a load balancer that was not built in time).",
        '',
        '**What to do:** run deploy-hub for this hub again with `gcp-access-token` (or rollback-hub / recreate-cert, which re-pin too); it reads the backend service and pins it. This issue closes itself when the hub pins its own backend service.',
        '',
        "Read from: the `hubfleet.io/iap-audience` annotation of Deployment `ocean/hub`'s pod template.",
        '',
        'Run: https://github.com/hubfleet-org/fleet/actions/runs/1001',
      ].join('\n'),
    );

    // An hour later, still project-wide: the same issue, no new comment.
    const commentsBefore = gh.state.comments.length;
    await run();
    expect(issuesFor('audience:smoke-gcp/ocean').map((i) => [i.number, i.state])).toEqual([
      [opened?.number, 'open'],
    ]);
    expect(gh.state.comments.length).toBe(commentsBefore);

    const audience = '/projects/123456789012/global/backendServices/4155678901234567890';
    kube.put(hubDeployment({ 'hubfleet.io/iap-audience': audience }));
    // Pinned, but without gcp-access-token not compared with the live backend service: said, and
    // the issue is left open (a stale pin is never passed unchecked).
    const unverified = await run();
    expect(unverified.summary).toContain(
      `| ocean | pinned | ${audience} (not compared with the live backend service: no gcp-access-token given for the Compute API) |`,
    );
    expect(unverified.summary).toContain(
      '> Stale pins were not checked for every hub (no gcp-access-token given for the Compute API): a pinned audience whose backend service was recreated would refuse every user unnoticed.',
    );
    expect(issuesFor('audience:smoke-gcp/ocean').map((i) => i.state)).toEqual(['open']);

    compute.setBackendService('pangeo-prod', BACKEND, '4155678901234567890');
    kube.put(oceanIngress());
    const pinned = await runWithCompute();
    expect([pinned.exitCode, pinned.annotations.filter((a) => a.level === 'warning')]).toEqual([0, []]);
    expect(pinned.summary).toContain(`| ocean | pinned | ${audience} (live: backend service ${BACKEND}) |`);
    expect(pinned.summary).not.toContain('Stale pins were not checked');
    expect(issuesFor('audience:smoke-gcp/ocean').map((i) => i.state)).toEqual(['closed']);
    expect(gh.state.comments.filter((c) => c.issue_number === opened?.number).map((c) => c.body)).toEqual([
      `smoke-iap: smoke-gcp/ocean now pins its own backend service (\`${audience}\`).\n\nRun: https://github.com/hubfleet-org/fleet/actions/runs/1001`,
    ]);
    expect(
      kube.requests.filter((r) => r.method === 'GET' && r.path.includes('/deployments/')).map((r) => r.path),
    ).toContain('/apis/apps/v1/namespaces/ocean/deployments/hub');
  });
  it('opens an audience issue for a pin gone stale (backend service recreated with a new id) and closes it once re-pinned', async () => {
    const issuesFor = (key: string): { number: number; state: string; title: string; body: string }[] =>
      gh.state.issues
        .filter((i) => (i.body ?? '').includes(`<!-- hubfleet:issue:${key} -->`))
        .map((i) => ({ number: i.number, state: i.state, title: i.title, body: i.body ?? '' }));
    const fresh = (): { number: number; state: string; title: string; body: string }[] =>
      issuesFor('audience:smoke-gcp/ocean');
    // The project-wide issue of the test before (closed) is reopened for the new finding, if any.
    const closedBefore = fresh();
    expect(closedBefore.map((i) => i.state).filter((state) => state !== 'closed')).toEqual([]);
    const pinnedTo = (audience: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hub', namespace: 'ocean' },
      spec: { template: { metadata: { annotations: { 'hubfleet.io/iap-audience': audience } } } },
    });
    withKube.set({ proxyPublic: 'NodePort' });
    const old = '/projects/123456789012/global/backendServices/4155678901234567890';
    const live = '/projects/123456789012/global/backendServices/7000000000000000042';
    // ingress-gce garbage-collected the backend service and made it again under the same name
    // (pkg/backends/syncer.go GC, then ensureIngress): same name, new numeric id.
    compute.setBackendService('pangeo-prod', BACKEND, '7000000000000000042');
    kube.put(oceanIngress());
    kube.put(pinnedTo(old));
    compute.requests.length = 0;

    const stale = await runWithCompute();
    // IAP still guards the hub (the probes pass): the verdict stands, the finding is an issue.
    expect([stale.exitCode, stale.outputs.verdict]).toEqual([0, 'pass']);
    expect(stale.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      `smoke-gcp/ocean: the hub pins the stale IAP audience ${old}, IAP signs ${live}, so every user gets 403; run: gh workflow run recreate-cert.yml -f cluster=smoke-gcp -f hub=ocean`,
    ]);
    expect(stale.summary).toContain(
      `| ocean | stale | pins ${old}, but IAP signs ${live} (backend service ${BACKEND}) |`,
    );
    expect(compute.requests).toEqual([
      {
        method: 'GET',
        path: `/compute/v1/projects/pangeo-prod/global/backendServices/${BACKEND}`,
        authorization: '[present]',
      },
    ]);
    const [opened, ...more] = fresh();
    expect(more).toEqual([]);
    expect([opened?.number, opened?.state, opened?.title]).toEqual([
      closedBefore[0]?.number ?? opened?.number,
      'open',
      'Hub smoke-gcp/ocean does not pin the IAP audience of its live backend service',
    ]);
    expect(opened?.body).toContain(
      [
        "## Hub smoke-gcp/ocean pins a stale IAP audience: IAP's signed header is refused for every user",
        '',
        'Domain: `ocean.smoke.hubs.test`',
        '',
        `The hub pins the IAP audience \`${old}\` (backend service id 4155678901234567890), but the hub's backend service \`${BACKEND}\` now has id 7000000000000000042: IAP signs \`${live}\`. The authenticator refuses a signed header for any other audience, so every user gets 403. ingress-gce deletes a backend service no Ingress references and creates it again with a new id (an Ingress deleted and created again outside recreate-cert, or a GKE load-balancer resync); nothing re-pinned the hub afterwards.`,
        '',
        '**What to do:** run `gh workflow run recreate-cert.yml -f cluster=smoke-gcp -f hub=ocean`; recreate-cert reads the live backend service and re-pins the hub to it (decision 0023). Deploying the hub again with `gcp-access-token` (deploy-hub) re-pins it too. This issue closes itself when the pinned audience is the live one.',
        '',
        "Read from: the `hubfleet.io/iap-audience` annotation of Deployment `ocean/hub`'s pod template, and the backend service named in Ingress `ocean`'s `ingress.kubernetes.io/backends` annotation, read from the Compute API.",
        '',
        'Run: https://github.com/hubfleet-org/fleet/actions/runs/1001',
      ].join('\n'),
    );

    // An hour later, still stale with the same ids: the same issue, edited in place, no comment.
    const commentsBefore = gh.state.comments.length;
    await runWithCompute();
    expect(fresh().map((i) => [i.number, i.state])).toEqual([[opened?.number, 'open']]);
    expect(gh.state.comments.length).toBe(commentsBefore);

    // Without the token the stale pin cannot be seen: said in the summary, the issue left open.
    const unchecked = await smoke(
      { hubs: 'ocean', 'connect-to': withKube.connectTo, 'report-issues': 'true' },
      tokensOf(),
      { KUBECONFIG: kube.kubeconfigPath, KUBECACHEDIR: kube.cacheDir },
    );
    expect(unchecked.summary).toContain(
      '> Stale pins were not checked for every hub (no gcp-access-token given for the Compute API): a pinned audience whose backend service was recreated would refuse every user unnoticed.',
    );
    expect(fresh().map((i) => [i.number, i.state])).toEqual([[opened?.number, 'open']]);

    // recreate-cert re-pinned the live backend service: the issue closes with a comment.
    kube.put(pinnedTo(live));
    const repinned = await runWithCompute();
    expect([repinned.exitCode, repinned.annotations.filter((a) => a.level === 'warning')]).toEqual([0, []]);
    expect(repinned.summary).toContain(`| ocean | pinned | ${live} (live: backend service ${BACKEND}) |`);
    expect(fresh().map((i) => [i.number, i.state])).toEqual([[opened?.number, 'closed']]);
    expect(
      gh.state.comments
        .slice(commentsBefore)
        .filter((c) => c.issue_number === opened?.number)
        .map((c) => c.body),
    ).toEqual([
      `smoke-iap: smoke-gcp/ocean now pins its own backend service (\`${live}\`).\n\nRun: https://github.com/hubfleet-org/fleet/actions/runs/1001`,
    ]);
  });
});

describe('smoke-iap when GitHub fails', () => {
  it('still writes the verdict, outputs and summary, and says the issues were not updated', async () => {
    iap.set({ plainHttp: 'content' });
    gh.inject({
      method: 'GET',
      path: `/repos/${REPOSITORY}/issues`,
      times: 1,
      fault: { kind: 'status', status: 403 },
    });
    const run = await smoke({ hubs: 'ocean', 'report-issues': 'true' });
    expect([run.exitCode, run.outputs['exposed-hubs'], run.outputs.verdict]).toEqual([
      1,
      '["ocean"]',
      'exposed',
    ]);
    expect(run.summary).toContain('### ❌ smoke-iap smoke-gcp: 1 hub checked: 1 exposed (ocean)');
    expect(run.summary).toContain('> ⚠️ The issues could not be updated:');
    expect(failure(run)[0]).toMatch(
      /^smoke-iap smoke-gcp: 1 hub checked: 1 exposed \(ocean\) — ocean: plain-http plain HTTP answered 200 with content instead of redirecting to https \(and the issues could not be updated: .+\); treat it as a security incident/,
    );
  });
});
