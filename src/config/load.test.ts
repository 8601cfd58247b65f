import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadFleet } from './load.js';

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
      config: { name: 'ocean', chart: { name: 'daskhub', version: '2026.3.0' } },
    });
  });
});
