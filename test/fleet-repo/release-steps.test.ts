// The release form of the workflows as a runner runs it in a fleet repository: actions/setup's
// script exports HUBFLEET_TOOL_DIR (the action's own download; here this checkout), and the fleet's
// CLI steps run `node "$HUBFLEET_TOOL_DIR/bin/hubfleet.js"` against the fleet's config/.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main, type CliIo } from '../../src/cli.js';

const root = join(import.meta.dirname, '../..');
const SHA = '0123456789abcdef0123456789abcdef01234567';

let work = '';
let stepsRun = 0;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-release-steps-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

interface Step {
  name: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

function bash(
  script: string,
  env: Record<string, string>,
  cwd: string,
): { status: number | null; stderr: string } {
  // From a file, as the runner runs a step (bash -c would read a login shell's rc files here).
  stepsRun += 1;
  const file = join(work, `step-${stepsRun}.sh`);
  writeFileSync(file, script);
  const r = spawnSync('bash', ['-e', file], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe('a fleet repository on a release, step by step', () => {
  it("setup exports the release's directory, and the fleet's targets step lists its cluster from it", async () => {
    const io: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: work };
    const code = await main(
      [
        'init',
        'fleet',
        '--provider',
        'gcp',
        '--cluster',
        'ocean',
        '--tool-ref',
        `acme/hubfleet@${SHA}#0.2.0`,
      ],
      io,
    );
    expect(code).toBe(0);
    const fleet = join(work, 'fleet');

    // actions/setup (cli: false: npm ci of the release is what the jobs with the CLI add).
    const setup = parse(readFileSync(join(root, 'actions/setup/action.yml'), 'utf8')) as {
      runs: { using: string; steps: Step[] };
    };
    expect(setup.runs.using).toBe('composite');
    const githubEnv = join(work, 'github-env');
    writeFileSync(githubEnv, '');
    const ran = bash(
      setup.runs.steps[0]?.run ?? '',
      { ACTION_PATH: join(root, 'actions/setup'), INSTALL_CLI: 'false', GITHUB_ENV: githubEnv },
      fleet,
    );
    expect(ran).toEqual({ status: 0, stderr: '' });
    expect(readFileSync(githubEnv, 'utf8')).toBe(`HUBFLEET_TOOL_DIR=${root}\n`);

    // The scheduled workflow's targets job, as the fleet has it.
    const scheduled = parse(readFileSync(join(fleet, '.github/workflows/scheduled.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const steps = scheduled.jobs.targets?.steps ?? [];
    expect(steps.map((s) => s.uses ?? s.name).slice(1, 3)).toEqual([
      expect.stringMatching(/^actions\/setup-node@[0-9a-f]{40}$/),
      `acme/hubfleet/actions/setup@${SHA}`,
    ]);
    const targets = steps.find((s) => s.name === 'Every cluster of the fleet');
    expect(targets?.run).toBe('node "$HUBFLEET_TOOL_DIR/bin/hubfleet.js" targets --github-output');
    const output = join(work, 'github-output');
    writeFileSync(output, '');
    expect(bash(targets?.run ?? '', { HUBFLEET_TOOL_DIR: root, GITHUB_OUTPUT: output }, fleet).status).toBe(
      0,
    );
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(outputs['has-clusters']).toBe('true');
    expect(
      (
        JSON.parse(outputs.clusters ?? '{}') as { include: Array<{ cluster: string; hubs: string }> }
      ).include.map((r) => [r.cluster, r.hubs]),
    ).toEqual([['ocean', 'staging']]);
  });
});
