import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFleet } from './load.js';
import { parseYaml } from './yaml-source.js';
import { schemaProblems } from './schema-check.js';

const exampleConfig = join(import.meta.dirname, '..', '..', 'config');

describe('the example fleet', () => {
  it('loads with no errors and no warnings', async () => {
    const result = await loadFleet(exampleConfig);
    if (!result.ok)
      throw new Error(result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    expect(result.warnings).toEqual([]);
  });

  it('sorts clusters and hubs by name and reports repo-relative files', async () => {
    const result = await loadFleet(exampleConfig, { displayRoot: join(exampleConfig, '..') });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(
      result.fleet.clusters.map((c) => [c.config.name, c.file, c.hubs.map((h) => h.config.name)]),
    ).toEqual([
      ['pangeo-aws', 'config/clusters/pangeo-aws/cluster.yaml', ['glacier', 'glacier-staging']],
      [
        'pangeo-gcp',
        'config/clusters/pangeo-gcp/cluster.yaml',
        ['climate', 'climate-staging', 'ocean', 'ocean-staging'],
      ],
    ]);
    const ocean = result.fleet.clusters[1]?.hubs[2];
    expect(ocean).toMatchObject({
      file: 'config/clusters/pangeo-gcp/hubs/ocean.yaml',
      cluster: 'pangeo-gcp',
      config: { name: 'ocean', chart: { name: 'daskhub', version: '2024.1.1' } },
    });
  });
});

describe('loadFleet on disk', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubfleet-load-'));
    const gcp = join(dir, 'config', 'clusters', 'pangeo-gcp');
    await mkdir(join(gcp, 'hubs', 'nested'), { recursive: true });
    await cp(join(exampleConfig, 'clusters', 'pangeo-gcp', 'cluster.yaml'), join(gcp, 'cluster.yaml'));
    await cp(
      join(exampleConfig, 'clusters', 'pangeo-gcp', 'hubs', 'ocean-staging.yaml'),
      join(gcp, 'hubs', 'ocean-staging.yaml'),
    );
    await writeFile(join(gcp, 'hubs', 'notes.txt'), 'not a hub\n');
    await mkdir(join(dir, 'config', 'clusters', 'empty'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports other files in hubs/, directories in hubs/ and cluster directories without cluster.yaml', async () => {
    const result = await loadFleet(join(dir, 'config'), { displayRoot: dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.file, p.line, p.message])).toEqual([
      ['config/clusters/empty', 1, 'cluster directory empty has no cluster.yaml'],
      [
        'config/clusters/pangeo-gcp/hubs/nested',
        1,
        'unexpected directory in hubs/: hubs are files named <hub>.yaml',
      ],
      [
        'config/clusters/pangeo-gcp/hubs/notes.txt',
        1,
        'hub files must end in .yaml; rename it or move it out of hubs/',
      ],
    ]);
  });

  it('reports paths as given when the config is outside the display root', async () => {
    const configDir = join(dir, 'config');
    const result = await loadFleet(configDir, { displayRoot: join(dir, 'elsewhere') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.file).toBe(join(configDir, 'clusters', 'empty'));
  });

  it('reports a missing clusters directory', async () => {
    const result = await loadFleet(join(dir, 'nothing'), { displayRoot: dir });
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ file: 'nothing/clusters', line: 1, col: 1, severity: 'error' })],
    });
  });
});

describe('performance', () => {
  it('validates 1,000 hub files against the schema in well under 200 ms', () => {
    const hub = readFileSync(join(exampleConfig, 'clusters', 'pangeo-gcp', 'hubs', 'ocean.yaml'), 'utf8');
    const parsed = Array.from({ length: 1000 }, (_, i) =>
      parseYaml(`config/clusters/pangeo-gcp/hubs/h${i}.yaml`, hub.replace(/ocean/g, `h${i}`)),
    );
    schemaProblems(parsed[0]?.ok === true ? parsed[0].source : unparsed(), 'hub'); // compile outside the timing
    const start = performance.now();
    let problems = 0;
    for (const p of parsed) problems += p.ok ? schemaProblems(p.source, 'hub').length : 1;
    const elapsed = performance.now() - start;
    expect(problems).toBe(0);
    expect(elapsed).toBeLessThan(100);
  });
});

function unparsed(): never {
  throw new Error('example hub did not parse');
}
