// `hubfleet render` into a directory it rendered before: the directories of hubs and clusters that
// have left the fleet go, and only what render wrote; anything without its marker stays.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli-runs.js';

let work = '';

async function render(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(['render', '--out', 'out', ...extra], work);
}

const files = (): string[] => readdirSync(join(work, 'out'), { recursive: true, encoding: 'utf8' }).sort();
const removedLines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('removed '));

const AWS_FILES = [
  'pangeo-aws',
  'pangeo-aws/.hubfleet-rendered',
  'pangeo-aws/hubs',
  'pangeo-aws/hubs/glacier',
  'pangeo-aws/hubs/glacier-staging',
  'pangeo-aws/hubs/glacier-staging/.hubfleet-rendered',
  'pangeo-aws/hubs/glacier-staging/manifests.yaml',
  'pangeo-aws/hubs/glacier-staging/values.yaml',
  'pangeo-aws/hubs/glacier/.hubfleet-rendered',
  'pangeo-aws/hubs/glacier/manifests.yaml',
  'pangeo-aws/hubs/glacier/values.yaml',
  'pangeo-aws/terraform.tfvars.json',
];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-render-'));
  cpSync('config', join(work, 'config'), { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('render removes what left the fleet, and only what it owns', () => {
  it('removes a removed hub directory, keeps unmarked directories and foreign files', async () => {
    expect((await render()).code).toBe(0);
    expect(files().filter((f) => f.startsWith('pangeo-aws'))).toEqual(AWS_FILES);
    // Someone's own notes beside the output, and a directory render never wrote.
    mkdirSync(join(work, 'out/pangeo-aws/hubs/handmade'));
    writeFileSync(join(work, 'out/pangeo-aws/hubs/handmade/values.yaml'), 'mine: true\n');
    rmSync(join(work, 'config/clusters/pangeo-aws/hubs/glacier-staging.yaml'));

    const r = await render();
    expect(r.code).toBe(0);
    expect(removedLines(r.stdout)).toEqual([
      'removed out/pangeo-aws/hubs/glacier-staging: no longer in the fleet',
    ]);
    expect(files().filter((f) => f.startsWith('pangeo-aws'))).toEqual([
      'pangeo-aws',
      'pangeo-aws/.hubfleet-rendered',
      'pangeo-aws/hubs',
      'pangeo-aws/hubs/glacier',
      'pangeo-aws/hubs/glacier/.hubfleet-rendered',
      'pangeo-aws/hubs/glacier/manifests.yaml',
      'pangeo-aws/hubs/glacier/values.yaml',
      'pangeo-aws/hubs/handmade',
      'pangeo-aws/hubs/handmade/values.yaml',
      'pangeo-aws/terraform.tfvars.json',
    ]);
    // Nothing left to remove: a third render removes nothing.
    expect(removedLines((await render()).stdout)).toEqual([]);
  });

  it('keeps a file of someone else inside a removed hub directory, and the directory with it', async () => {
    expect((await render()).code).toBe(0);
    writeFileSync(join(work, 'out/pangeo-aws/hubs/glacier-staging/NOTES.md'), 'keep me\n');
    rmSync(join(work, 'config/clusters/pangeo-aws/hubs/glacier-staging.yaml'));
    const r = await render();
    expect(removedLines(r.stdout)).toEqual([
      'removed out/pangeo-aws/hubs/glacier-staging: no longer in the fleet',
    ]);
    expect(files().filter((f) => f.startsWith('pangeo-aws/hubs/glacier-staging'))).toEqual([
      'pangeo-aws/hubs/glacier-staging',
      'pangeo-aws/hubs/glacier-staging/NOTES.md',
    ]);
  });

  it('removes a removed cluster with its hubs', async () => {
    expect((await render()).code).toBe(0);
    rmSync(join(work, 'config/clusters/pangeo-aws'), { recursive: true });
    const r = await render();
    expect(r.code).toBe(0);
    expect(removedLines(r.stdout)).toEqual([
      'removed out/pangeo-aws/hubs/glacier: no longer in the fleet',
      'removed out/pangeo-aws/hubs/glacier-staging: no longer in the fleet',
      'removed out/pangeo-aws: no longer in the fleet',
    ]);
    expect(files().some((f) => f.startsWith('pangeo-aws'))).toBe(false);
    expect(files().filter((f) => f.endsWith('values.yaml'))).toHaveLength(4);
  });

  it('with --cluster looks only at that cluster, with --hub removes nothing', async () => {
    expect((await render()).code).toBe(0);
    rmSync(join(work, 'config/clusters/pangeo-aws/hubs/glacier-staging.yaml'));
    rmSync(join(work, 'config/clusters/pangeo-gcp/hubs/ocean-staging.yaml'));
    // A removed hub takes its platform file with it (decision 0018: a platform file without its hub
    // is refused, so privileged values cannot attach to a later hub of the same name).
    rmSync(join(work, 'config/clusters/pangeo-gcp/platform/ocean-staging.yaml'));
    expect(removedLines((await render('--cluster', 'pangeo-gcp', '--hub', 'ocean')).stdout)).toEqual([]);
    expect(removedLines((await render('--cluster', 'pangeo-gcp')).stdout)).toEqual([
      'removed out/pangeo-gcp/hubs/ocean-staging: no longer in the fleet',
    ]);
    expect(files()).toContain('pangeo-aws/hubs/glacier-staging/values.yaml');
  });

  it('leaves a file that already holds exactly what it renders untouched, and rewrites one that differs', async () => {
    expect((await render()).code).toBe(0);
    const values = join(work, 'out/pangeo-aws/hubs/glacier/values.yaml');
    const manifests = join(work, 'out/pangeo-aws/hubs/glacier/manifests.yaml');
    const tfvars = join(work, 'out/pangeo-aws/terraform.tfvars.json');
    const rendered = { values: readFileSync(values, 'utf8'), manifests: readFileSync(manifests, 'utf8') };
    // Marked times: a rewrite (temporary file, then rename) gives the file a new inode and mtime.
    const longAgo = new Date(Date.UTC(2020, 0, 1));
    for (const f of [values, manifests, tfvars]) utimesSync(f, longAgo, longAgo);
    const inode = statSync(values).ino;
    writeFileSync(manifests, 'edited by hand\n');

    expect((await render()).code).toBe(0);
    expect(statSync(values).mtime).toEqual(longAgo);
    expect(statSync(values).ino).toBe(inode);
    expect(statSync(tfvars).mtime).toEqual(longAgo);
    expect(readFileSync(manifests, 'utf8')).toBe(rendered.manifests);
    expect(statSync(manifests).mtime).not.toEqual(longAgo);
    expect(readFileSync(values, 'utf8')).toBe(rendered.values);
    // No temporary file is left behind.
    expect(files().filter((f) => f.includes('.tmp-'))).toEqual([]);
    // A file that holds the content and more, or only the start of it, is not the same file.
    writeFileSync(values, `${rendered.values}# more\n`);
    writeFileSync(manifests, rendered.manifests.slice(0, -1));
    expect((await render()).code).toBe(0);
    expect(readFileSync(values, 'utf8')).toBe(rendered.values);
    expect(readFileSync(manifests, 'utf8')).toBe(rendered.manifests);
  });
});
