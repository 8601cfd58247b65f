import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient, type GitHubClient } from '../adapters/github.js';
import { startGitHubDouble, type GitHubDouble } from '../../test/support/github-double.js';
import type { HealthResult } from './check.js';
import { healthIssuePlan, reportHealthIssues, summaryRows } from './report.js';

const REPO = 'hubfleet-org/fleet';

function healthy(hub: string): HealthResult {
  return {
    target: { cluster: 'pangeo-gcp', hub, scratch: false, dask: true },
    verdict: 'healthy',
    attempts: 1,
    earlier: [],
    steps: [
      { step: 'start', outcome: 'pass', ms: 41_234, detail: 'ready in 41.2 s' },
      { step: 'kernel', outcome: 'pass', ms: 2100, detail: 'kernel k' },
      { step: 'execute', outcome: 'pass', ms: 300, detail: 'output "hubfleet-health 42"' },
      { step: 'dask', outcome: 'pass', ms: 95_000, detail: 'output "dask 45"' },
      { step: 'stop', outcome: 'pass', ms: 4000, detail: 'stopped' },
    ],
  };
}

function unhealthy(hub: string, step: 'start' | 'execute', reason: string): HealthResult {
  return {
    target: { cluster: 'pangeo-gcp', hub, scratch: false, dask: false },
    verdict: 'unhealthy',
    attempts: 3,
    earlier: [`${step}: ${reason}`, `${step}: ${reason}`],
    failed: { step, reason },
    steps: [
      { step: 'start', outcome: step === 'start' ? 'fail' : 'pass', ms: 300_000, detail: reason },
      { step: 'stop', outcome: 'pass', ms: 1000, detail: 'no server running' },
    ],
  };
}

describe('summaryRows', () => {
  it('gives each hub one row with each step’s time, optional steps off where the hub has none', () => {
    expect(summaryRows([healthy('ocean'), unhealthy('land', 'start', 'Spawn failed: Timeout')])).toEqual([
      ['ocean', '✅ healthy', '1', '41.2 s', '2.1 s', '0.3 s', 'off', '95.0 s', '4.0 s'],
      ['land', '❌ start', '3', '❌ 300.0 s', 'not reached', 'not reached', 'off', 'off', '1.0 s'],
    ]);
  });
});

describe('unhealthy issues through the adapter and the GitHub double', () => {
  let double: GitHubDouble;
  let gh: GitHubClient;
  beforeEach(async () => {
    double = await startGitHubDouble({ repository: REPO });
    gh = createGitHubClient({
      token: 't0ken',
      repository: REPO,
      apiUrl: double.url,
      sleep: () => Promise.resolve(),
    });
  });
  afterEach(async () => {
    await double.close();
  });
  const open = (): string[] =>
    double.state.issues.filter((i) => i.state === 'open').map((i) => `#${i.number} ${i.title}`);

  it('opens one issue per failing hub, edits it in place while the same step fails, closes it on recovery', async () => {
    const fleet = { cluster: 'pangeo-gcp', hubs: ['ocean', 'land'] };
    const first = await reportHealthIssues(
      gh,
      [healthy('ocean'), unhealthy('land', 'start', 'Spawn failed: Timeout')],
      'https://github.com/run/1',
      fleet,
    );
    expect(first).toEqual([
      { key: 'unhealthy:pangeo-gcp/land', hub: 'land', status: 'failing', action: 'created', issueNumber: 1 },
    ]);
    expect(open()).toEqual(['#1 Hub pangeo-gcp/land is unhealthy: start fails']);
    expect(double.state.issues[0]?.body).toContain('> Spawn failed: Timeout');

    // The same step failing again (other times in the reason) is the same failure: no new issue.
    const second = await reportHealthIssues(
      gh,
      [healthy('ocean'), unhealthy('land', 'start', 'Spawn failed: Timeout after 301 s')],
      'https://github.com/run/2',
      fleet,
    );
    expect(second.map((r) => [r.key, r.action, r.issueNumber])).toEqual([
      ['unhealthy:pangeo-gcp/land', 'updated', 1],
    ]);
    expect(double.state.issues).toHaveLength(1);

    const third = await reportHealthIssues(
      gh,
      [healthy('ocean'), healthy('land')],
      'https://github.com/run/3',
      fleet,
    );
    expect(third.map((r) => [r.key, r.status, r.action, r.issueNumber])).toEqual([
      ['unhealthy:pangeo-gcp/land', 'passing', 'closed', 1],
    ]);
    expect(open()).toEqual([]);
  });

  it('closes the issue of a hub removed from the config, and leaves other kinds alone', async () => {
    double.seedIssue({
      title: 'Hub pangeo-gcp/old is down',
      body: '<!-- hubfleet:issue:down:pangeo-gcp/old -->\ndown',
      labels: ['hubfleet'],
    });
    await reportHealthIssues(gh, [unhealthy('old', 'execute', 'expected output')], undefined, {
      cluster: 'pangeo-gcp',
      hubs: ['old'],
    });
    const rows = await reportHealthIssues(gh, [healthy('ocean')], undefined, {
      cluster: 'pangeo-gcp',
      hubs: ['ocean'],
    });
    expect(rows.map((r) => [r.key, r.action, r.removed])).toEqual([
      ['unhealthy:pangeo-gcp/old', 'closed', true],
    ]);
    expect(open()).toEqual(['#1 Hub pangeo-gcp/old is down']);
  });

  it('names the step in the issue title and fingerprints by step, not by the changing reason', () => {
    const plan = healthIssuePlan(
      unhealthy('land', 'execute', 'the kernel died (dead) while running the cell'),
      undefined,
    );
    expect(plan.outcome).toMatchObject({
      status: 'failing',
      title: 'Hub pangeo-gcp/land is unhealthy: execute fails',
      fingerprint: 'unhealthy pangeo-gcp/land: execute',
    });
  });
});
