// `terraform fmt -check` over the real root modules: the canonical format is the one Terraform's
// own formatter writes, so the test runs the real binary rather than a reimplementation.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const terraform = process.env.TERRAFORM ?? 'terraform';
const INSTALL =
  'install terraform ≥ 1.10 (https://developer.hashicorp.com/terraform/install) or set TERRAFORM to its path';

function terraformVersion(): string | undefined {
  const run = spawnSync(terraform, ['version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.split('\n')[0] : undefined;
}

const version = terraformVersion();
if (version === undefined && process.env.CI !== 'true') {
  // Loud, not silent: outside CI a missing binary skips this one check; under CI=true it fails.
  process.stderr.write(`\n*** terraform fmt check NOT RUN: ${terraform} not found; ${INSTALL} ***\n\n`);
}

describe('terraform fmt', () => {
  (version === undefined && process.env.CI !== 'true' ? it.skip : it)(
    'terraform fmt -check -recursive terraform/ finds nothing to reformat',
    () => {
      if (version === undefined) throw new Error(`terraform is not installed (${terraform}); ${INSTALL}`);
      const run = spawnSync(terraform, ['fmt', '-check', '-recursive', '-diff', 'terraform/'], {
        cwd: root,
        encoding: 'utf8',
        // fmt reads no providers or state; an absent CLI config file must not matter.
        env: { ...process.env, TF_IN_AUTOMATION: '1' },
      });
      expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: '' });
    },
  );
});
