// Tests that run the real terraform say so loudly when it is missing; under CI=true a missing
// binary is a failure (the CI image installs it: terraform 1.11, see .ci/run).
import { spawnSync } from 'node:child_process';

export const TERRAFORM = process.env['HUBFLEET_TEST_TERRAFORM'] ?? 'terraform';

export function terraformAvailable(): boolean {
  const probe = spawnSync(TERRAFORM, ['version', '-json'], { encoding: 'utf8', env: terraformTestEnv() });
  if (probe.status === 0) return true;
  const message = `terraform (${TERRAFORM}) is not installed: the Terraform tests did NOT run. Install terraform 1.11 (https://developer.hashicorp.com/terraform/install) and re-run.`;
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(message);
  return false;
}

/** A clean environment for terraform in tests: no CLI config, no checkpoint call, no user plugins. */
export function terraformTestEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    TF_CLI_CONFIG_FILE: '/dev/null',
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
}

/** `terraform -chdir=<dir> <args>` in the clean test environment: its exit status and all output. */
export function terraformIn(dir: string, args: readonly string[]): { status: number; output: string } {
  const r = spawnSync(TERRAFORM, [`-chdir=${dir}`, ...args], { encoding: 'utf8', env: terraformTestEnv() });
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

/**
 * The failed validation rules of a `terraform plan`'s output, one line each: terraform prints each
 * rule's error_message as the paragraph before "This was checked by the validation rule …".
 * Throws with the whole output when the plan failed for another reason.
 */
export function validationMessages(output: string): string[] {
  const paragraphs = output.split(/\n\s*\n/).map((p) => p.trim());
  const messages = paragraphs.flatMap((p, i) =>
    p.startsWith('This was checked by the validation rule') ? [paragraphs[i - 1] ?? ''] : [],
  );
  if (messages.length === 0) throw new Error(output);
  return messages.map((m) => m.replace(/\s*\n\s*/g, ' '));
}
