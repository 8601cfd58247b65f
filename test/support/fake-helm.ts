// Test-side handle on the fake helm (test/support/fake-helm/): a private state directory, the PATH
// and environment to start the product with, and what helm was asked.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './bundle-harness.js';

export type FakeHelmMode = 'succeed' | 'fail' | 'hang' | 'no-hub';

export interface FakeHelmCall {
  args: string[];
  exit: number;
  values?: string;
  valuesMode?: string;
  mode?: FakeHelmMode;
}

export interface FakeHelm {
  /** Directory holding the `helm` executable: put it first on PATH. */
  binDir: string;
  stateDir: string;
  /** Environment for the process that runs helm (PATH first, the state dir, the API double's URL). */
  env(basePath?: string): Record<string, string>;
  behave(b: { upgrades?: FakeHelmMode[]; failMessage?: string; schema?: string }): void;
  calls(): FakeHelmCall[];
  /** The release history as helm keeps it. */
  releases(): Record<string, { revision: number; status: string; description: string; values: string }[]>;
  close(): void;
}

export function createFakeHelm(kubeApiUrl: string): FakeHelm {
  const stateDir = mkdtempSync(join(tmpdir(), 'fake-helm-'));
  const binDir = join(repoRoot, 'test', 'support', 'fake-helm');
  const read = (name: string): string =>
    existsSync(join(stateDir, name)) ? readFileSync(join(stateDir, name), 'utf8') : '';
  return {
    binDir,
    stateDir,
    env: (basePath = process.env.PATH ?? '/usr/bin:/bin') => ({
      PATH: `${binDir}:${basePath}`,
      FAKE_HELM_DIR: stateDir,
      FAKE_HELM_KUBE_API: kubeApiUrl,
    }),
    behave(b) {
      writeFileSync(join(stateDir, 'behaviour.json'), JSON.stringify(b));
      rmSync(join(stateDir, 'upgrade-count.json'), { force: true });
    },
    calls: () =>
      read('calls.jsonl')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as FakeHelmCall),
    releases: () =>
      read('releases.json') === ''
        ? {}
        : (JSON.parse(read('releases.json')) as ReturnType<FakeHelm['releases']>),
    close: () => rmSync(stateDir, { recursive: true, force: true }),
  };
}
