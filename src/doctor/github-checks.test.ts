import { describe, expect, it } from '@jest/globals';
import { formatChecklist, formatJson } from './format.js';
import {
  environmentsCheck,
  type EnvironmentFacts,
  labelsCheck,
  runnersCheck,
  secretsCheck,
} from './github-checks.js';
import type { Fetched } from './model.js';

const ok = <T>(value: T): Fetched<T> => ({ kind: 'ok', value });

describe('labelsCheck', () => {
  it('matches labels without case and gives the command for each missing one', () => {
    expect(
      labelsCheck('o/r', ok(['HUBFLEET:SKIP-DEPLOY', 'hubfleet:deploy-all', 'hubfleet:remove-hub'])).status,
    ).toBe('pass');
    expect(labelsCheck('o/r', ok(['hubfleet:deploy-all']))).toEqual({
      id: 'github-labels',
      scope: 'repository',
      status: 'fail',
      message: 'missing labels: hubfleet:skip-deploy, hubfleet:remove-hub',
      fix: "gh label create 'hubfleet:skip-deploy' --repo o/r --description 'merge without deploying any hub'; gh label create 'hubfleet:remove-hub' --repo o/r --description 'uninstall the hubs whose files this PR deletes'",
    });
  });
});

describe('environmentsCheck', () => {
  const mainOnly: EnvironmentFacts = {
    reviewers: 1,
    branchPolicy: { protectedBranches: false, customBranchPolicies: true },
    branchPolicies: [{ name: 'main', type: 'branch' }],
  };
  const one = (facts: EnvironmentFacts, needsReviewers = false) =>
    environmentsCheck('c', [{ name: 'c-apply', needsReviewers, facts: ok(facts) }]);

  it.each<[string, EnvironmentFacts, string]>([
    [
      'every protected branch',
      { ...mainOnly, branchPolicy: { protectedBranches: true, customBranchPolicies: false } },
      'c-apply lets every protected branch deploy, not main only',
    ],
    [
      'a pattern besides main',
      {
        ...mainOnly,
        branchPolicies: [
          { name: 'main', type: 'branch' },
          { name: 'release/*', type: 'branch' },
        ],
      },
      'c-apply allows branch main, branch release/*, not branch main only',
    ],
    [
      'a tag named main',
      { ...mainOnly, branchPolicies: [{ name: 'main', type: 'tag' }] },
      'c-apply allows tag main, not branch main only',
    ],
    [
      'no pattern at all',
      { ...mainOnly, branchPolicies: [] },
      'c-apply allows nothing, not branch main only',
    ],
  ])('refuses %s', (_what, facts, message) => {
    expect(one(facts).message).toBe(message);
  });

  it('needs reviewers only where asked', () => {
    expect(one({ ...mainOnly, reviewers: 0 }).status).toBe('pass');
    expect(one({ ...mainOnly, reviewers: 0 }, true).message).toBe('c-apply has no required reviewers');
  });
});

describe('secretsCheck', () => {
  const needed = [
    { name: 'A', namedBy: 'x' },
    { name: 'B', namedBy: 'hub.yaml iap.oauthClient.secret', environment: 'c-prod' },
  ];
  it('counts repository, organization and the job Environment secrets', () => {
    expect(secretsCheck('c', 'o/r', needed, ok(['A']), ok([]), new Map([['c-prod', ok(['B'])]])).status).toBe(
      'pass',
    );
    expect(secretsCheck('c', 'o/r', needed, ok([]), ok(['A', 'B']), new Map()).status).toBe('pass');
    // A secret of another Environment does not count.
    expect(
      secretsCheck('c', 'o/r', needed, ok(['A']), { kind: 'missing' }, new Map([['c-staging', ok(['B'])]])),
    ).toEqual({
      id: 'github-secrets',
      scope: 'c',
      status: 'fail',
      message: 'missing secret: B (hub.yaml iap.oauthClient.secret; or in Environment c-prod)',
      fix: 'gh secret set B --repo o/r --env c-prod',
    });
  });

  it('passes with nothing to look for, and skips when organization secrets are denied', () => {
    expect(
      secretsCheck('c', 'o/r', [], { kind: 'denied', status: 403, message: '' }, ok([]), new Map()).message,
    ).toBe('no secrets are named');
    expect(
      secretsCheck('c', 'o/r', needed, ok([]), { kind: 'denied', status: 403, message: 'no' }, new Map())
        .message,
    ).toBe('skipped: the credentials may not list organization secrets (HTTP 403)');
  });
});

describe('runnersCheck', () => {
  it('needs one online runner carrying every label, matched without case', () => {
    const r = (status: string, labels: string[]) => ({ name: 'r1', status, labels });
    expect(
      runnersCheck('c', ['self-hosted', 'C'], ok([r('online', ['Self-Hosted', 'c', 'linux'])])).status,
    ).toBe('pass');
    expect(runnersCheck('c', ['self-hosted', 'c'], ok([r('online', ['self-hosted'])]))).toEqual({
      id: 'runners',
      scope: 'c',
      status: 'fail',
      message: 'no self-hosted runner of this repository has the labels self-hosted, c',
      fix: "install the runner scale set inside the cluster's VPC (config/runners/c.yaml, scaleSetLabels: [self-hosted, c]); a scale set with minRunners: 0 shows no runner while idle, so set minRunners: 1 or run doctor from a job on that runner; runners registered to the organization are not listed for a repository (GET /repos/{owner}/{repo}/actions/runners): check those in the organization's settings",
    });
  });
});

describe('format', () => {
  const results = [
    { id: 'apis' as const, scope: 'c', status: 'pass' as const, message: 'fine' },
    { id: 'runners' as const, scope: 'c', status: 'fail' as const, message: 'none', fix: 'add one' },
  ];
  it('prints a checklist grouped by scope, with the fix under each failure', () => {
    expect(formatChecklist('o/r', results)).toBe(
      'hubfleet doctor for o/r\n\ncluster c\n  ✓ apis: fine\n  ✗ runners: none\n      fix: add one\n\n1 failed, 0 skipped, 1 passed\n',
    );
  });
  it('prints JSON with the summary and every check', () => {
    expect(JSON.parse(formatJson(undefined, results))).toEqual({
      repository: null,
      summary: { passed: 1, failed: 1, skipped: 0 },
      checks: results,
    });
  });
});
