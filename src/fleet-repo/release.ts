// Which hubfleet release is running. The release workflow writes release.json beside package.json
// when it publishes (`{"repository": "owner/hubfleet", "version": "1.2.3", "sha": "<40 hex>"}`: the
// commit the tag points to), so `npx hubfleet@1.2.3 init` pins a fleet's workflows to exactly the
// commit that version was built from. A checkout has no release.json: init then needs --tool-ref
// or --local-tool.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubfleetError } from '../errors.js';
import { checkToolSource, type ToolSource } from '../../workflows/tool-source.js';

export type ReleaseTool = Extract<ToolSource, { kind: 'release' }>;

export const RELEASE_FILE = 'release.json';

/** The directory of the hubfleet package this module belongs to (its package.json). */
export async function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined && (JSON.parse(text) as { name?: unknown }).name === 'hubfleet') return dir;
    if (dirname(dir) === dir) throw new Error(`no hubfleet package.json above ${from}`);
  }
}

/** A release as `{repository, version, sha}`; throws naming `where` when a field is wrong. */
export function parseRelease(value: unknown, where: string): ReleaseTool {
  const o = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const tool: ReleaseTool = {
    kind: 'release',
    repository: typeof o.repository === 'string' ? o.repository : '',
    version: typeof o.version === 'string' ? o.version.replace(/^v/, '') : '',
    sha: typeof o.sha === 'string' ? o.sha : '',
  };
  try {
    checkToolSource(tool);
  } catch (err) {
    throw new HubfleetError(`${where}: ${(err as Error).message}`, {
      hint: 'a release is {"repository": "owner/hubfleet", "version": "X.Y.Z", "sha": "<the tag\'s full commit sha>"}',
    });
  }
  return tool;
}

/** The running package's release, or undefined in a checkout (no release.json). */
export async function runningRelease(root?: string): Promise<ReleaseTool | undefined> {
  const dir = root ?? (await packageRoot());
  const path = join(dir, RELEASE_FILE);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return parseRelease(JSON.parse(text) as unknown, path);
}

/** `owner/hubfleet@<sha>#X.Y.Z` (the --tool-ref / --to form) → a release. */
export function parseToolRef(ref: string): ReleaseTool {
  const m = /^([^@#\s]+)@([^@#\s]+)#v?([^@#\s]+)$/.exec(ref);
  if (m === null) {
    throw new HubfleetError(`tool ref "${ref}" is not OWNER/REPO@SHA#VERSION`, {
      hint: 'e.g. --tool-ref my-org/hubfleet@3d3c42e5aac5ba805825da76410c181273ba90b1#1.2.0 (the commit the v1.2.0 tag points to)',
    });
  }
  return parseRelease({ repository: m[1], sha: m[2], version: m[3] }, `tool ref "${ref}"`);
}
