// The provider lock file (.terraform.lock.hcl) a reviewed plan was made with, carried to its apply
// (docs/decisions/0026-provider-lock-carried-with-the-plan.md). Terraform refuses a saved plan
// whose provider selections differ from the apply's ("created with a different set of external
// dependency selections"), and an unpinned init may pick a newer build than the plan job did.
//
// plan-cluster: when the module commits a lock file, init uses it read-only; otherwise init writes
// it. Either way the lock file is a module file, so the inputs digest covers it, and it is copied
// into the plan artifact beside the plan file.
// apply-iam: the artifact's lock file is put in the module before the digest is computed (a
// committed one must be byte-equal), and init runs with -lockfile=readonly against it.
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../digest.js';
import { HubfleetError } from '../errors.js';

export const LOCK_FILE = '.terraform.lock.hcl';
/**
 * Its name in the plan artifact: without the leading dot, because actions/upload-artifact (v4.4+)
 * leaves hidden files out unless told otherwise (its docs/MIGRATION.md, "Hidden files").
 */
export const ARTIFACT_LOCK_FILE = 'terraform.lock.hcl';

export type LockSource =
  /** The module commits a lock file (the artifact's, if any, is byte-equal). */
  | { kind: 'committed'; sha256: string }
  /** The plan job's init wrote it; apply-iam took it from the plan artifact. */
  | { kind: 'artifact'; sha256: string }
  /** No provider outside Terraform's builtins: init writes no lock file. */
  | { kind: 'none' };

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  return existsSync(path) ? readFile(path) : undefined;
}

/** plan-cluster, before init: a lock file already in the module is used read-only. */
export function moduleHasLockFile(moduleDir: string): boolean {
  return existsSync(join(moduleDir, LOCK_FILE));
}

/** plan-cluster, after init: copies the module's lock file beside the plan file; its sha256 or undefined. */
export async function carryLockFile(moduleDir: string, outDir: string): Promise<string | undefined> {
  const bytes = await readIfPresent(join(moduleDir, LOCK_FILE));
  if (bytes === undefined) return undefined;
  await copyFile(join(moduleDir, LOCK_FILE), join(outDir, ARTIFACT_LOCK_FILE));
  return sha256Hex(bytes);
}

/** Where apply-iam looks for the plan's lock file: beside the plan file in the downloaded artifact. */
export const artifactLockPath = (planPath: string): string => join(dirname(planPath), ARTIFACT_LOCK_FILE);

/**
 * apply-iam, before the inputs digest: makes the module's lock file the one the plan was made with.
 * Refuses a committed lock file that differs from the artifact's, and an artifact without the lock
 * file a committed one says the plan had.
 */
export async function placeReviewedLockFile(args: {
  cluster: string;
  moduleDir: string;
  planPath: string;
  moduleLabel: string;
}): Promise<LockSource> {
  // No module directory: prepareClusterModule refuses next, with the error that names it.
  if (!existsSync(args.moduleDir)) return { kind: 'none' };
  const modulePath = join(args.moduleDir, LOCK_FILE);
  const artifactPath = artifactLockPath(args.planPath);
  const [committed, carried] = await Promise.all([readIfPresent(modulePath), readIfPresent(artifactPath)]);
  if (committed !== undefined) {
    if (carried === undefined) {
      throw new HubfleetError(
        `apply refused for ${args.cluster}: the plan artifact has no ${ARTIFACT_LOCK_FILE}, but ${args.moduleLabel}/${LOCK_FILE} is committed, so the plan was made with one`,
        {
          hint: 'download the whole plan-cluster artifact (the lock file travels beside the plan file), or re-run the plan',
        },
      );
    }
    if (!committed.equals(carried)) {
      throw new HubfleetError(
        `apply refused for ${args.cluster}: ${ARTIFACT_LOCK_FILE} in the plan artifact (sha256 ${sha256Hex(carried).slice(0, 12)}…) differs from the committed ${args.moduleLabel}/${LOCK_FILE} (sha256 ${sha256Hex(committed).slice(0, 12)}…): the plan was made with other provider builds`,
        {
          hint: 're-run plan-cluster for this cluster so the plan uses the committed lock file, review it and merge again',
        },
      );
    }
    return { kind: 'committed', sha256: sha256Hex(committed) };
  }
  if (carried === undefined) return { kind: 'none' };
  await copyFile(artifactPath, modulePath);
  return { kind: 'artifact', sha256: sha256Hex(carried) };
}

/** What a digest mismatch means when the lock file came from the artifact. */
export function lockFileNote(source: LockSource): string | undefined {
  return source.kind === 'artifact'
    ? `the digest covers the provider lock file from the plan artifact (${ARTIFACT_LOCK_FILE}, sha256 ${source.sha256.slice(0, 12)}…): a lock file other than the one the plan job's terraform init wrote changes it`
    : undefined;
}
