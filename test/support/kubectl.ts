// Whether the real kubectl is here. Tests that drive it are not silently skipped: without it they
// print how to install it, and under CI=true `kubectl-present.test.ts` fails once (.ci/run installs
// Debian's kubernetes-client, so CI always runs them).
import { describe } from '@jest/globals';
import { spawnSync } from 'node:child_process';

export const KUBECTL = process.env.HUBFLEET_TEST_KUBECTL ?? 'kubectl';
export const KUBECTL_INSTALL = 'apt-get install -y kubernetes-client (Debian), or any kubectl 1.28+ on PATH';

function probe(): string | undefined {
  const out = spawnSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  try {
    return (JSON.parse(out.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
  } catch {
    return undefined;
  }
}

export const kubectlVersion = probe();
export const haveKubectl = kubectlVersion !== undefined;

/** `describe` when kubectl is present; otherwise a loud skip that says how to install it. */
export function describeWithKubectl(name: string, fn: () => void): void {
  if (haveKubectl) {
    describe(name, fn);
    return;
  }
  process.stderr.write(
    `\n*** NOT RUN: "${name}" needs kubectl (${KUBECTL}), which is not installed: ${KUBECTL_INSTALL} ***\n\n`,
  );
  describe.skip(`${name} [NOT RUN: kubectl missing]`, fn);
}
