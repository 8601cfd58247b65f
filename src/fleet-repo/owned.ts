// .hubfleet/owned.json: what hubfleet owns in a fleet repository and the hubfleet it came from.
// `hubfleet upgrade` rewrites only these files, and only while each still has the hash recorded
// here: a file the fleet changed by hand is refused (without --force), never overwritten silently.
import { createHash } from 'node:crypto';
import { HubfleetError } from '../errors.js';
import { parseRelease } from './release.js';
import type { FleetTool } from './fleet-files.js';

export const OWNED_PATH = '.hubfleet/owned.json';

/** A relative path of plain segments (`.github/workflows/deploy.yml`). */
const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export interface OwnedManifest {
  tool: FleetTool;
  /** Repository path → `sha256:<hex>` of the content hubfleet wrote. */
  files: Record<string, string>;
}

export function contentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function manifestText(manifest: OwnedManifest): string {
  const tool =
    manifest.tool.kind === 'local'
      ? { local: manifest.tool.path }
      : { repository: manifest.tool.repository, version: manifest.tool.version, sha: manifest.tool.sha };
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ tool, files }, null, 2)}\n`;
}

export function parseManifest(text: string, where: string): OwnedManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HubfleetError(`${where} is not JSON: ${(err as Error).message}`, {
      hint: 'restore it from git (`git checkout -- .hubfleet/owned.json`); hubfleet writes it',
    });
  }
  const o = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const toolValue = typeof o.tool === 'object' && o.tool !== null ? (o.tool as Record<string, unknown>) : {};
  const tool: FleetTool =
    typeof toolValue.local === 'string'
      ? { kind: 'local', path: toolValue.local }
      : parseRelease(toolValue, `${where} tool`);
  const files: Record<string, string> = {};
  const filesValue = typeof o.files === 'object' && o.files !== null ? o.files : {};
  for (const [path, hash] of Object.entries(filesValue)) {
    // upgrade writes and removes these paths: only plain relative paths inside the repository.
    if (!SAFE_PATH.test(path) || path.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new HubfleetError(`${where}: files["${path}"] is not a path inside the repository`, {
        hint: 'restore it from git; hubfleet writes it',
      });
    }
    if (typeof hash !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(hash)) {
      throw new HubfleetError(`${where}: files["${path}"] is not a sha256:<hex> hash`, {
        hint: 'restore it from git; hubfleet writes it',
      });
    }
    files[path] = hash;
  }
  return { tool, files };
}
