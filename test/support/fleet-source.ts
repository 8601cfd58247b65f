// The fleet repository a chain test drives: its config/, its workflows as written in it, and where
// a `uses:` of those workflows takes a hubfleet action from.
// - this repository: its example fleet (config/) and its own rendered workflows; `./actions/<name>`
//   is this checkout's action, as on its runners (the workspace is this repository).
// - a fleet repository written by `hubfleet init --local-tool <this checkout>` into a temp dir: its
//   own config/ and the workflows init wrote there. The local form's `./actions/<name>` names the
//   action of the hubfleet checkout the fleet uses, which init records in .hubfleet/owned.json as
//   `tool.local` (docs/decisions/0075): the harness takes the action's bundle from there, and any
//   other `uses:` of a hubfleet action is an error, never a silent fallback to this repository.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { main } from '../../src/cli.js';
import { OWNED_PATH } from '../../src/fleet-repo/owned.js';
import { repoRoot } from './bundle-harness.js';
import { renderedStep, stepsIn, type StepLookup } from './workflow-steps.js';

export interface FleetSource {
  /** What the test names (`this repository`, `a fleet made by hubfleet init --local-tool`). */
  label: string;
  /** The fleet repository's directory: config/ and .github/workflows. */
  root: string;
  step: StepLookup;
  /** The directory of the action a `uses:` of this fleet's workflows names (its dist/ runs). */
  actionDir(uses: string): string;
  close(): Promise<void>;
}

const LOCAL_ACTION = /^\.\/actions\/([a-z-]+)$/;

function localAction(uses: string, toolDir: string): string {
  const m = LOCAL_ACTION.exec(uses);
  if (m === null) throw new Error(`"${uses}" is not a local hubfleet action (./actions/<name>)`);
  return join(toolDir, 'actions', m[1] ?? '');
}

export function thisRepository(): FleetSource {
  return {
    label: 'this repository',
    root: repoRoot,
    step: renderedStep,
    actionDir: (uses) => localAction(uses, repoRoot),
    close: () => Promise.resolve(),
  };
}

/** `hubfleet init <temp>/fleet --provider P --cluster C --local-tool <this checkout>`, run as the CLI. */
export async function initFleetSource(provider: 'gcp' | 'aws', cluster: string): Promise<FleetSource> {
  const work = await mkdtemp(join(tmpdir(), 'hubfleet-chain-fleet-'));
  let out = '';
  const code = await main(
    ['init', 'fleet', '--provider', provider, '--cluster', cluster, '--local-tool', repoRoot],
    { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: work },
  );
  if (code !== 0) throw new Error(`hubfleet init failed (${String(code)}):\n${out}`);
  const root = join(work, 'fleet');
  const owned = JSON.parse(readFileSync(join(root, OWNED_PATH), 'utf8')) as { tool: { local?: unknown } };
  const tool = owned.tool.local;
  if (typeof tool !== 'string' || !isAbsolute(tool))
    throw new Error(`${OWNED_PATH} names no absolute local tool: ${JSON.stringify(owned.tool)}`);
  return {
    label: 'a fleet made by hubfleet init --local-tool',
    root,
    step: stepsIn(root),
    actionDir: (uses) => localAction(uses, tool),
    close: () => rm(work, { recursive: true, force: true }),
  };
}

/**
 * initFleetSource, then `hubfleet new-hub --cluster C --name N --domain <N>.hubs.example.org --stage S
 * --member …` run as the CLI in that fleet repository, as a person adds a hub; on failure the fleet
 * is removed.
 */
export async function initFleetWithHub(
  provider: 'gcp' | 'aws',
  cluster: string,
  hub: { name: string; stage: 'staging' | 'prod' },
): Promise<FleetSource> {
  const source = await initFleetSource(provider, cluster);
  let out = '';
  const code = await main(
    [
      'new-hub',
      '--cluster',
      cluster,
      '--name',
      hub.name,
      '--domain',
      `${hub.name}.hubs.example.org`,
      '--stage',
      hub.stage,
      '--member',
      'group:hub-users@example.org',
    ],
    { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: source.root },
  );
  if (code !== 0) {
    await source.close();
    throw new Error(`hubfleet new-hub failed (${String(code)}):\n${out}`);
  }
  return source;
}
