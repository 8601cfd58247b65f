// The scheduled IAP job's planner token step, run with bash exactly as rendered: it masks gcloud's
// token before writing it to the step output smoke-iap reads (gcp-access-token), and a gcloud
// failure is a warning (the IAP probes still run; smoke-iap then says stale pins were not checked).
// `gcloud` is a stand-in on PATH.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderedStep, runShellStep } from '../test/support/workflow-steps.js';
import { parse } from 'yaml';
import { renderAll } from './index.js';
import { scheduled } from './scheduled.js';

const STEP = "Planner's access token for the Compute API";
const TOKEN = 'ya29.planner-canary';
let temp = '';
let bin = '';

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'hubfleet-planner-token-'));
  bin = join(temp, 'bin');
  await mkdir(bin);
});

afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function gcloud(script: string): Promise<void> {
  await writeFile(join(bin, 'gcloud'), `#!/bin/bash\necho "$*" >> "${temp}/gcloud-args"\n${script}\n`);
  await chmod(join(bin, 'gcloud'), 0o755);
}

describe('scheduled iap planner token step', () => {
  const step = renderedStep('scheduled', 'iap', STEP);

  it('runs on GKE after the planner login and hands its token to smoke-iap as gcp-access-token', () => {
    expect(step.if).toBe("matrix.provider == 'gcp'");
    const steps = scheduled.jobs['iap']?.steps ?? [];
    const names = steps.map((s) => s.name);
    expect(names.indexOf(STEP)).toBe(names.indexOf('Get EKS credentials') + 1);
    const smoke = steps.find((s) => s.name === 'Smoke-test every hub through IAP');
    expect(smoke !== undefined && 'with' in smoke ? smoke.with?.['gcp-access-token'] : undefined).toBe(
      '${{ steps.planner-token.outputs.access-token }}',
    );
  });

  it('masks the token before writing it to the step output', async () => {
    await gcloud(`echo ${TOKEN}`);
    const r = await runShellStep(step, {}, { runnerTemp: temp, path: bin });
    expect([r.status, r.stdout, r.outputs]).toEqual([0, `::add-mask::${TOKEN}\n`, { 'access-token': TOKEN }]);
    expect(await readFile(join(temp, 'gcloud-args'), 'utf8')).toBe('auth print-access-token\n');
  });

  it('warns and writes no output when gcloud fails, so the IAP probes still run', async () => {
    await gcloud('echo "ERROR: (gcloud.auth.print-access-token) no credentials" >&2\nexit 1');
    const r = await runShellStep(step, {}, { runnerTemp: temp, path: bin });
    expect([r.status, r.stdout, r.outputs]).toEqual([
      0,
      '::warning::gcloud auth print-access-token failed: smoke-iap cannot check for stale IAP audiences\n',
      {},
    ]);
  });
});

describe('smoke-iap after a deploy, a recreate or a rollback', () => {
  it("gets the applier's Compute token from the login, so it compares pinned audiences (decision 0081)", () => {
    const smokeSteps = renderAll().flatMap((w) => {
      const doc = parse(w.content) as {
        jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
      };
      return Object.entries(doc.jobs).flatMap(([job, j]) =>
        (j.steps ?? [])
          .filter((s) => s.uses === './actions/smoke-iap')
          .map((s) => [w.path.split('/').pop(), job, s.with?.['gcp-access-token']]),
      );
    });
    expect(smokeSteps).toEqual([
      ['deploy.yml', 'staging', '${{ steps.gcp-auth.outputs.access_token }}'],
      ['deploy.yml', 'prod', '${{ steps.gcp-auth.outputs.access_token }}'],
      ['recreate-cert.yml', 'recreate', '${{ steps.gcp-auth.outputs.access_token }}'],
      ['rollback-hub.yml', 'rollback', '${{ steps.gcp-auth.outputs.access_token }}'],
      ['scheduled.yml', 'iap', '${{ steps.planner-token.outputs.access-token }}'],
    ]);
  });
});
