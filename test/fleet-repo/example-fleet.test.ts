// This repository's example fleet is a fleet repository of the layout `hubfleet init` writes, with
// the tool referenced by local path (docs/decisions/0076): config/ where init puts it, its fleet
// workflows exactly what hubfleet owns in a `--local-tool` fleet (apart from the generated-file
// header), the editors' schemas init writes, and `hubfleet upgrade` on a copy of those files
// changing nothing but the headers. config/ stays where it is: it is the example, not a second copy.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFleetSettings } from '../../src/config/fleet-settings.js';
import { schemaFiles } from '../../src/config/schema-files.js';
import { ownedFiles } from '../../src/fleet-repo/fleet-files.js';
import { contentHash, manifestText, OWNED_PATH } from '../../src/fleet-repo/owned.js';
import { OTHER_CHECK_SCHEDULES } from '../../workflows/scheduled.js';
import { runInProcess } from '../support/cli-runs.js';

const root = join(import.meta.dirname, '../..');
const LOCAL = { kind: 'local', path: root } as const;
const FLEET_WORKFLOWS = [
  '.github/workflows/deploy.yml',
  '.github/workflows/hub-pr.yml',
  '.github/workflows/recreate-cert.yml',
  '.github/workflows/rollback-hub.yml',
  '.github/workflows/scheduled.yml',
];
/** The generated-file header: two comment lines, which name who wrote the file. */
const HEADER_LINES = 2;

let work = '';

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args, cwd);
}

const body = (text: string): string => text.split('\n').slice(HEADER_LINES).join('\n');
const own = (path: string): string => readFileSync(join(root, path), 'utf8');
const owned = (): Map<string, string> =>
  ownedFiles(LOCAL, readFleetSettings(join(root, 'config'), OTHER_CHECK_SCHEDULES));

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-example-fleet-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("this repository's example fleet is a fleet repository of init's layout", () => {
  it('its fleet workflows are byte for byte what hubfleet owns in a --local-tool fleet, apart from the header', () => {
    const wanted = owned();
    expect([...wanted.keys()].sort()).toEqual(FLEET_WORKFLOWS);
    // Beside them only the tool's own workflows, which a fleet does not get.
    expect(readdirSync(join(root, '.github/workflows')).sort()).toEqual([
      'ci.yml',
      'deploy.yml',
      'hub-pr.yml',
      'recreate-cert.yml',
      'release.yml',
      'rollback-hub.yml',
      'scheduled.yml',
    ]);
    for (const path of FLEET_WORKFLOWS) {
      const fleetText = wanted.get(path) ?? '';
      expect({ path, body: body(own(path)) }).toEqual({ path, body: body(fleetText) });
      const source = `workflows/${path.replace('.github/workflows/', '').replace('.yml', '.ts')}`;
      expect(own(path).split('\n').slice(0, HEADER_LINES)).toEqual([
        `# GENERATED FILE — do not edit. Source: ${source}`,
        '# Change the TypeScript source and run `npm run workflows`; a test fails when this file differs.',
      ]);
      expect(fleetText.split('\n').slice(0, HEADER_LINES)).toEqual([
        `# GENERATED FILE — do not edit. Written by the local hubfleet at ${root} from its ${source}.`,
        "# Move to another hubfleet with `hubfleet upgrade --write`; .hubfleet/owned.json holds this file's hash.",
      ]);
    }
  });

  it('its config/ validates as an init fleet does, and holds the schemas init writes', async () => {
    expect(await cli(['validate'], root)).toEqual({
      code: 0,
      stdout: 'fleet is valid: 2 clusters, 6 hubs\n',
      stderr: '',
    });
    for (const [name, text] of Object.entries<string>({ ...schemaFiles() })) {
      expect({ name, text: own(`config/schema/${name}`) }).toEqual({ name, text });
    }
  });

  it('hubfleet upgrade --local-tool on a copy of its fleet files changes the headers and nothing else', async () => {
    // The copy as a fleet repository: config/, the fleet workflows, and the manifest recording them.
    const fleet = join(work, 'fleet');
    cpSync(join(root, 'config'), join(fleet, 'config'), { recursive: true });
    const hashes: Record<string, string> = {};
    for (const path of FLEET_WORKFLOWS) {
      mkdirSync(join(fleet, '.github/workflows'), { recursive: true });
      writeFileSync(join(fleet, path), own(path));
      hashes[path] = contentHash(own(path));
    }
    mkdirSync(join(fleet, '.hubfleet'));
    writeFileSync(join(fleet, OWNED_PATH), manifestText({ tool: LOCAL, files: hashes }));

    const shown = await cli(['upgrade', '--local-tool', root], fleet);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    const changed = lines.filter(
      (l) => (l.startsWith('-') || l.startsWith('+')) && !l.startsWith('---') && !l.startsWith('+++'),
    );
    const headers = FLEET_WORKFLOWS.flatMap((path) => [
      ...own(path)
        .split('\n')
        .slice(0, HEADER_LINES)
        .map((l) => `-${l}`),
      ...(owned().get(path) ?? '')
        .split('\n')
        .slice(0, HEADER_LINES)
        .map((l) => `+${l}`),
    ]);
    expect(changed).toEqual(headers);
    expect(lines.slice(-3)).toEqual([
      `the local hubfleet at ${root} → the local hubfleet at ${root}: 5 of 5 owned files change`,
      'nothing written; run again with --write to write these changes',
      '',
    ]);

    expect((await cli(['upgrade', '--local-tool', root, '--write'], fleet)).code).toBe(0);
    expect(await cli(['upgrade', '--local-tool', root], fleet)).toEqual({
      code: 0,
      stdout: `the local hubfleet at ${root} → the local hubfleet at ${root}: 0 of 5 owned files change\nnothing written; run again with --write to write these changes\n`,
      stderr: '',
    });
    // config/ is the fleet's: the upgrade left the copy of the example fleet as it was.
    for (const cluster of readdirSync(join(root, 'config/clusters'))) {
      const path = `config/clusters/${cluster}/cluster.yaml`;
      expect(readFileSync(join(fleet, path), 'utf8')).toBe(own(path));
    }
  });
});
