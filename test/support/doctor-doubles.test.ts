// The contracts doctor's doubles copy (see each double's header for the source), and the DoH and
// GitHub settings adapters read through them.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createDohResolver, parseDohJson } from '../../src/adapters/doh.js';
import { createGitHubSettings } from '../../src/adapters/github-settings.js';
import { type DohDouble, startDohDouble } from './doh-double.js';
import { type GitHubSettingsDouble, startGitHubSettingsDouble } from './github-settings-double.js';
import { type GoogleDouble, startGoogleDouble } from './google-apis-double.js';

describe('DNS-over-HTTPS double and adapter', () => {
  let doh: DohDouble;
  beforeEach(async () => {
    doh = await startDohDouble();
  });
  afterEach(async () => {
    await doh.close();
  });

  it('answers records with a trailing dot, NODATA as Status 0 without Answer, unknown names NXDOMAIN', async () => {
    doh.records.set('hubs.example.org', { NS: ['ns1.example.net.'] });
    const resolver = createDohResolver({ url: doh.url });
    expect(await resolver.query('Hubs.Example.org.', 'NS')).toEqual({
      kind: 'answer',
      rcode: 0,
      records: [{ name: 'hubs.example.org.', type: 2, data: 'ns1.example.net.' }],
    });
    expect(await resolver.query('hubs.example.org', 'A')).toEqual({ kind: 'answer', rcode: 0, records: [] });
    expect(await resolver.query('nowhere.example.org', 'A')).toEqual({
      kind: 'answer',
      rcode: 3,
      records: [],
    });
    expect(doh.queries).toEqual([
      { name: 'hubs.example.org', type: 'NS' },
      { name: 'hubs.example.org', type: 'A' },
      { name: 'nowhere.example.org', type: 'A' },
    ]);
  });

  it('reports an unreachable resolver and a body that is not the JSON API as errors', async () => {
    await doh.close();
    const r = await createDohResolver({ url: doh.url }).query('x.org', 'A');
    expect(r.kind).toBe('error');
    expect(parseDohJson('<html>', 'https://r')).toEqual({
      kind: 'error',
      message: 'https://r did not answer JSON',
    });
    expect(parseDohJson('{"Answer":[]}', 'https://r')).toEqual({
      kind: 'error',
      message: 'https://r answered without a Status',
    });
    doh = await startDohDouble();
  });
});

describe('GitHub settings double and adapter', () => {
  let gh: GitHubSettingsDouble;
  beforeEach(async () => {
    gh = await startGitHubSettingsDouble({ repository: 'o/r', token: 'ghs_settings' });
  });
  afterEach(async () => {
    await gh.close();
  });

  it('pages lists with Link headers, which the adapter follows', async () => {
    gh.labels.push(...Array.from({ length: 105 }, (_, i) => `label-${i}`));
    gh.repoSecrets.push(...Array.from({ length: 101 }, (_, i) => `S_${i}`));
    const settings = createGitHubSettings({ token: 'ghs_settings', repository: 'o/r', apiUrl: gh.url });
    const labels = await settings.listLabels();
    expect(labels.kind === 'ok' ? labels.value.length : labels).toBe(105);
    const secrets = await settings.listRepoSecretNames();
    expect(secrets.kind === 'ok' ? secrets.value.at(-1) : secrets).toBe('S_100');
    expect(gh.requests).toEqual([
      'GET /repos/o/r/labels',
      'GET /repos/o/r/labels',
      'GET /repos/o/r/actions/secrets',
      'GET /repos/o/r/actions/secrets',
    ]);
  });

  it('reads an Environment with its reviewers and branch policies; 404 and 403 are answers', async () => {
    gh.environments.set('c-prod', {
      reviewers: [{ type: 'User', login: 'a' }],
      branchPolicy: { protected_branches: false, custom_branch_policies: true },
      branchPolicies: [{ name: 'main', type: 'branch' }],
      secrets: [],
    });
    gh.orgSecrets = undefined;
    gh.deny.add('/actions/runners');
    const settings = createGitHubSettings({ token: 'ghs_settings', repository: 'o/r', apiUrl: gh.url });
    expect(await settings.getEnvironment('c-prod')).toEqual({
      kind: 'ok',
      value: {
        reviewers: 1,
        branchPolicy: { protectedBranches: false, customBranchPolicies: true },
        branchPolicies: [{ name: 'main', type: 'branch' }],
      },
    });
    expect(await settings.getEnvironment('c-apply')).toEqual({ kind: 'missing' });
    expect(await settings.listOrgSecretNames()).toEqual({ kind: 'missing' });
    expect(await settings.listRunners()).toEqual({
      kind: 'denied',
      status: 403,
      message: 'Resource not accessible by integration - https://docs.github.com/rest',
    });
    expect(await settings.repositoryId()).toEqual({ kind: 'ok', value: '987654321' });
    const wrong = createGitHubSettings({ token: 'x', repository: 'o/r', apiUrl: gh.url });
    expect((await wrong.listLabels()).kind).toBe('denied');
  });
});

describe('Google double', () => {
  let google: GoogleDouble;
  beforeEach(async () => {
    google = await startGoogleDouble({ token: 't' });
  });
  afterEach(async () => {
    await google.close();
  });

  it('refuses a policy with conditions below version 3, as IAM does', async () => {
    google.state.iapPolicies.set('1', {
      bindings: [{ role: 'r', members: ['user:a@x.org'], condition: { expression: 'request.host == "a"' } }],
    });
    const post = (body: string) =>
      fetch(`${google.urls.iap}/v1/projects/1/iap_web:getIamPolicy`, {
        method: 'POST',
        headers: { authorization: 'Bearer t' },
        body,
      });
    expect((await post('{}')).status).toBe(400);
    expect((await post('{"options":{"requestedPolicyVersion":3}}')).status).toBe(200);
  });
});
