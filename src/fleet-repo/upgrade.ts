// `hubfleet upgrade`: moves a fleet repository to another hubfleet. It regenerates only the files
// .hubfleet/owned.json lists (never config/), shows the unified diff of each, and refuses a file
// the fleet changed by hand since hubfleet wrote it unless forced.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { readFleetSettings } from '../config/fleet-settings.js';
import { HubfleetError } from '../errors.js';
import { OTHER_CHECK_SCHEDULES } from '../../workflows/scheduled.js';
import { describeTool, type FleetTool, ownedFiles } from './fleet-files.js';
import { contentHash, manifestText, type OwnedManifest, OWNED_PATH, parseManifest } from './owned.js';

export type FileChange =
  | { path: string; kind: 'add' | 'change'; before: string | undefined; after: string; handEdited: boolean }
  | { path: string; kind: 'remove'; before: string | undefined; handEdited: boolean }
  | { path: string; kind: 'same' };

export interface UpgradePlan {
  from: FleetTool;
  to: FleetTool;
  changes: FileChange[];
}

export async function readManifest(dir: string): Promise<OwnedManifest> {
  const path = join(dir, OWNED_PATH);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new HubfleetError(`${dir} is not a fleet repository made by hubfleet init: no ${OWNED_PATH}`, {
      hint: 'run upgrade in (or name) the fleet repository; a new one is made with `hubfleet init <dir>`',
    });
  }
  return parseManifest(text, OWNED_PATH);
}

/**
 * Dependabot moves the pins of hubfleet's actions (sha and `# vX.Y.Z` comment) in the owned
 * workflows; that is not a hand edit. The text with every pin of `tool`'s repository put back to
 * the recorded release is what the recorded hash is compared with.
 */
export function withRecordedPins(text: string, tool: FleetTool): string {
  if (tool.kind === 'local') return text;
  const repo = tool.repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pin = new RegExp(`(${repo}/actions/[a-z-]+)@[0-9a-f]{40}( # v[0-9A-Za-z.+-]+)?`, 'g');
  return text.replace(pin, `$1@${tool.sha} # v${tool.version}`);
}

function handEdited(current: string | undefined, recorded: string | undefined, from: FleetTool): boolean {
  if (recorded === undefined) return current !== undefined; // a fleet file where hubfleet would now write
  if (current === undefined) return true; // deleted by hand
  return contentHash(current) !== recorded && contentHash(withRecordedPins(current, from)) !== recorded;
}

export async function planUpgrade(dir: string, to: FleetTool): Promise<UpgradePlan> {
  const manifest = await readManifest(dir);
  const wanted = ownedFiles(to, readFleetSettings(join(dir, 'config'), OTHER_CHECK_SCHEDULES));
  const paths = [...new Set([...Object.keys(manifest.files), ...wanted.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    if (path === 'config' || path.startsWith('config/')) {
      throw new HubfleetError(`${OWNED_PATH} lists ${path}, but config/ belongs to the fleet`, {
        hint: `remove ${path} from ${OWNED_PATH}; hubfleet never writes config/ after init`,
      });
    }
    const current = await readFile(join(dir, path), 'utf8').catch(() => undefined);
    const after = wanted.get(path);
    const edited = handEdited(current, manifest.files[path], manifest.tool);
    if (after === undefined) {
      changes.push({ path, kind: 'remove', before: current, handEdited: current !== undefined && edited });
    } else if (current === after) {
      changes.push({ path, kind: 'same' });
    } else {
      changes.push({
        path,
        kind: current === undefined ? 'add' : 'change',
        before: current,
        after,
        handEdited: edited,
      });
    }
  }
  return { from: manifest.tool, to, changes };
}

/** The unified diff of every owned file the upgrade changes (`a/` = now, `b/` = after). */
export function upgradeDiff(plan: UpgradePlan): string {
  const parts: string[] = [];
  for (const c of plan.changes) {
    if (c.kind === 'same') continue;
    const before = c.before ?? '';
    const after = c.kind === 'remove' ? '' : c.after;
    const patch = createTwoFilesPatch(
      c.before === undefined ? '/dev/null' : `a/${c.path}`,
      c.kind === 'remove' ? '/dev/null' : `b/${c.path}`,
      before,
      after,
      undefined,
      undefined,
      { context: 3 },
    );
    // createTwoFilesPatch starts with a line of `=`; git's form starts at the --- line.
    parts.push(patch.replace(/^=+\n/, ''));
  }
  return parts.join('');
}

export function refusedFiles(plan: UpgradePlan): string[] {
  return plan.changes.filter((c) => c.kind !== 'same' && c.handEdited).map((c) => c.path);
}

/** Writes the plan (the caller has checked refusals); returns the paths written or removed. */
export async function applyUpgrade(dir: string, plan: UpgradePlan): Promise<string[]> {
  const touched: string[] = [];
  const hashes: Record<string, string> = {};
  for (const c of plan.changes) {
    if (c.kind === 'remove') {
      if (existsSync(join(dir, c.path))) await rm(join(dir, c.path));
      touched.push(c.path);
      continue;
    }
    if (c.kind === 'same') {
      hashes[c.path] = contentHash(await readFile(join(dir, c.path), 'utf8'));
      continue;
    }
    await mkdir(dirname(join(dir, c.path)), { recursive: true });
    await writeFile(join(dir, c.path), c.after);
    hashes[c.path] = contentHash(c.after);
    touched.push(c.path);
  }
  await writeFile(join(dir, OWNED_PATH), manifestText({ tool: plan.to, files: hashes }));
  return touched;
}

export function describeUpgrade(plan: UpgradePlan): string {
  const changed = plan.changes.filter((c) => c.kind !== 'same').length;
  return `${describeTool(plan.from)} → ${describeTool(plan.to)}: ${changed} of ${plan.changes.length} owned files change`;
}
