import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../digest.js';
import { HubfleetError } from '../errors.js';
import { collectModuleFiles, inputsDigest } from './inputs-digest.js';
import {
  ARTIFACT_LOCK_FILE,
  LOCK_FILE,
  carryLockFile,
  lockFileNote,
  moduleHasLockFile,
  placeReviewedLockFile,
} from './lock-file.js';

const LOCK_A = 'provider "registry.terraform.io/hashicorp/google" {\n  version = "6.50.0"\n}\n';
const LOCK_B = 'provider "registry.terraform.io/hashicorp/google" {\n  version = "6.51.0"\n}\n';

let root: string;
let moduleDir: string;
let artifactDir: string;
let planPath: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubfleet-lock-'));
  moduleDir = join(root, 'terraform', 'gcp');
  artifactDir = join(root, 'artifact');
  planPath = join(artifactDir, 'tfplan');
  await mkdir(moduleDir, { recursive: true });
  await mkdir(artifactDir, { recursive: true });
  await writeFile(join(moduleDir, 'main.tf'), 'terraform {}\n');
  await writeFile(planPath, 'plan');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const place = (): Promise<unknown> =>
  placeReviewedLockFile({ cluster: 'pangeo-gcp', moduleDir, planPath, moduleLabel: 'terraform/gcp' });
const refusal = async (): Promise<{ message: string; hint: string }> => {
  const error = await place().catch((e: unknown) => e);
  if (!(error instanceof HubfleetError)) throw new Error(`expected a HubfleetError, got ${String(error)}`);
  return { message: error.message, hint: error.hint };
};

describe('plan side', () => {
  it('carries the lock file init wrote beside the plan, without the leading dot, and returns its sha256', async () => {
    expect(moduleHasLockFile(moduleDir)).toBe(false);
    await writeFile(join(moduleDir, LOCK_FILE), LOCK_A);
    expect(moduleHasLockFile(moduleDir)).toBe(true);
    expect(await carryLockFile(moduleDir, artifactDir)).toBe(sha256Hex(LOCK_A));
    expect(await readFile(join(artifactDir, ARTIFACT_LOCK_FILE), 'utf8')).toBe(LOCK_A);
    expect(existsSync(join(artifactDir, LOCK_FILE))).toBe(false);
  });

  it('carries nothing when the module uses only builtin providers (init writes no lock file)', async () => {
    expect(await carryLockFile(moduleDir, artifactDir)).toBeUndefined();
    expect(existsSync(join(artifactDir, ARTIFACT_LOCK_FILE))).toBe(false);
  });

  it('the inputs digest covers the lock file: another lock, another digest', async () => {
    const digest = (): string => inputsDigest('{}', collectModuleFiles(join(root, 'terraform'), moduleDir));
    const without = digest();
    await writeFile(join(moduleDir, LOCK_FILE), LOCK_A);
    const withA = digest();
    await writeFile(join(moduleDir, LOCK_FILE), LOCK_B);
    expect(new Set([without, withA, digest()]).size).toBe(3);
  });
});

describe('apply side: placeReviewedLockFile', () => {
  it('puts the artifact lock file into a module that commits none, so the digest covers it', async () => {
    await writeFile(join(artifactDir, ARTIFACT_LOCK_FILE), LOCK_A);
    expect(await place()).toEqual({ kind: 'artifact', sha256: sha256Hex(LOCK_A) });
    expect(await readFile(join(moduleDir, LOCK_FILE), 'utf8')).toBe(LOCK_A);
  });

  it('accepts a committed lock file equal to the artifact one', async () => {
    await writeFile(join(moduleDir, LOCK_FILE), LOCK_A);
    await writeFile(join(artifactDir, ARTIFACT_LOCK_FILE), LOCK_A);
    expect(await place()).toEqual({ kind: 'committed', sha256: sha256Hex(LOCK_A) });
  });

  it('refuses an artifact lock file that differs from the committed one', async () => {
    await writeFile(join(moduleDir, LOCK_FILE), LOCK_A);
    await writeFile(join(artifactDir, ARTIFACT_LOCK_FILE), LOCK_B);
    expect(await refusal()).toEqual({
      message: `apply refused for pangeo-gcp: terraform.lock.hcl in the plan artifact (sha256 ${sha256Hex(LOCK_B).slice(0, 12)}…) differs from the committed terraform/gcp/.terraform.lock.hcl (sha256 ${sha256Hex(LOCK_A).slice(0, 12)}…): the plan was made with other provider builds`,
      hint: 're-run plan-cluster for this cluster so the plan uses the committed lock file, review it and merge again',
    });
    expect(await readFile(join(moduleDir, LOCK_FILE), 'utf8')).toBe(LOCK_A);
  });

  it('refuses an artifact without the lock file a committed one says the plan had', async () => {
    await writeFile(join(moduleDir, LOCK_FILE), LOCK_A);
    expect((await refusal()).message).toBe(
      'apply refused for pangeo-gcp: the plan artifact has no terraform.lock.hcl, but terraform/gcp/.terraform.lock.hcl is committed, so the plan was made with one',
    );
  });

  it('has nothing to place when neither has one', async () => {
    expect(await place()).toEqual({ kind: 'none' });
    expect(existsSync(join(moduleDir, LOCK_FILE))).toBe(false);
  });
});

describe('lockFileNote', () => {
  it('explains a digest mismatch only for a lock file taken from the artifact', () => {
    expect(lockFileNote({ kind: 'artifact', sha256: 'ab'.repeat(32) })).toBe(
      `the digest covers the provider lock file from the plan artifact (terraform.lock.hcl, sha256 ${'ab'.repeat(6)}…): a lock file other than the one the plan job's terraform init wrote changes it`,
    );
    expect(lockFileNote({ kind: 'committed', sha256: 'ab'.repeat(32) })).toBeUndefined();
    expect(lockFileNote({ kind: 'none' })).toBeUndefined();
  });
});
