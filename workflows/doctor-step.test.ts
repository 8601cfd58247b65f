// The scheduled workflow's doctor step, run with bash exactly as rendered: on GKE it takes the
// planner's token from gcloud and masks it before anything else, passes the cluster to
// `hubfleet doctor`, copies the checklist into the job summary and fails the job when doctor does.
// `gcloud` and `node` are stand-ins on PATH that record how they were called.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderedStep, runShellStep } from '../test/support/workflow-steps.js';
import { scheduled } from './scheduled.js';

const STEP = 'Doctor: is everything a run needs in place?';
const TOKEN = 'ya29.doctor-canary';
let temp = '';
let bin = '';

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'hubfleet-doctor-step-'));
  bin = join(temp, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'gcloud'), `#!/bin/bash\necho "$*" > "${temp}/gcloud-args"\necho ${TOKEN}\n`);
  // Prints a checklist and exits 1, as doctor does when a check fails.
  await writeFile(
    join(bin, 'node'),
    `#!/bin/bash\necho "$*" > "${temp}/node-args"\necho "token=\${HUBFLEET_GCP_ACCESS_TOKEN:-none} github=\${GITHUB_TOKEN:-none}" > "${temp}/node-env"\nprintf 'hubfleet doctor\\n  ✗ apis: off\\n'\nexit 1\n`,
  );
  await chmod(join(bin, 'gcloud'), 0o755);
  await chmod(join(bin, 'node'), 0o755);
});

afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('scheduled doctor step', () => {
  const step = renderedStep('scheduled', 'drift', STEP);

  it('runs after the drift plan even when it failed, with Actions read for the Environments', () => {
    expect(step.if).toBe('!cancelled()');
    const names = scheduled.jobs['drift']?.steps.map((s) => s.name);
    expect(names?.slice(-3)).toEqual(['Set up Node', 'Install hubfleet', STEP]);
    expect(scheduled.jobs['drift']?.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      issues: 'write',
      actions: 'read',
    });
  });

  it('on GKE masks the gcloud token first, checks the cluster, and fails with doctor', async () => {
    const r = await runShellStep(
      step,
      { 'matrix.cluster': 'pangeo-gcp', 'matrix.provider': 'gcp', 'github.token': 'ghs_x' },
      { runnerTemp: temp, path: bin },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`::add-mask::${TOKEN}\nhubfleet doctor\n  ✗ apis: off\n`);
    expect(r.summary).toBe('### doctor pangeo-gcp\n```\nhubfleet doctor\n  ✗ apis: off\n```\n');
    expect(await readFile(join(temp, 'gcloud-args'), 'utf8')).toBe('auth print-access-token\n');
    expect(await readFile(join(temp, 'node-args'), 'utf8')).toBe(
      'bin/hubfleet.js doctor --cluster pangeo-gcp\n',
    );
    expect(await readFile(join(temp, 'node-env'), 'utf8')).toBe(`token=${TOKEN} github=ghs_x\n`);
  });

  it('on EKS asks gcloud for nothing', async () => {
    const r = await runShellStep(
      step,
      { 'matrix.cluster': 'pangeo-aws', 'matrix.provider': 'aws', 'github.token': 'ghs_x' },
      { runnerTemp: temp, path: bin },
    );
    expect(r.status).toBe(1);
    expect(existsSync(join(temp, 'gcloud-args'))).toBe(false);
    expect(await readFile(join(temp, 'node-env'), 'utf8')).toBe('token=none github=ghs_x\n');
  });
});
