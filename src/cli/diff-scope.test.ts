import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadFleet } from '../config/load.js';
import { renderFleetFiles } from '../render/files.js';
import { diffScope, renderScoped, type DiffScope } from './diff-scope.js';

const modified = (...paths: string[]) => paths.map((path) => ({ path, status: 'modified' as const }));

describe('diffScope', () => {
  it.each<[string, string[], DiffScope]>([
    [
      'nothing under --config',
      ['README.md', 'src/cli.ts', 'terraform/gcp/main.tf'],
      { everything: false, clusters: new Map() },
    ],
    [
      'hub files: their hubs (with the cluster tfvars)',
      ['config/clusters/a/hubs/x.yaml', 'config/clusters/a/hubs/y.yaml', 'config/clusters/b/hubs/z.yaml'],
      {
        everything: false,
        clusters: new Map([
          ['a', new Set(['x', 'y'])],
          ['b', new Set(['z'])],
        ]),
      },
    ],
    [
      'a cluster file: the whole cluster, whatever its hubs',
      ['config/clusters/a/hubs/x.yaml', 'config/clusters/a/cluster.yaml', 'config/clusters/a/hubs/y.yaml'],
      { everything: false, clusters: new Map([['a', 'cluster']]) },
    ],
    [
      'a schema: everything',
      ['config/clusters/a/hubs/x.yaml', 'config/schema/hub.schema.json'],
      { everything: true },
    ],
    [
      'an unknown file under --config: everything',
      ['config/clusters/a/hubs/notes/x.yaml'],
      { everything: true },
    ],
    [
      '--config elsewhere: its own prefix only',
      ['config/clusters/a/hubs/x.yaml'],
      { everything: false, clusters: new Map() },
    ],
  ])('%s', (_, paths, scope) => {
    const prefix = _.startsWith('--config elsewhere') ? 'fleet/config' : 'config';
    expect(diffScope(modified(...paths), prefix)).toEqual(scope);
  });
});

describe('renderScoped', () => {
  it('renders the whole fleet exactly as renderFleetFiles when everything is in scope', async () => {
    const loaded = await loadFleet(join(process.cwd(), 'config'), { displayRoot: process.cwd() });
    if (!loaded.ok) throw new Error('the example fleet must load');
    const scoped = renderScoped(loaded.fleet, { everything: true });
    expect(scoped.files).toEqual(renderFleetFiles(loaded.fleet));
    expect(scoped.rendered).toEqual([
      'pangeo-aws',
      'pangeo-aws/glacier',
      'pangeo-aws/glacier-staging',
      'pangeo-gcp',
      'pangeo-gcp/climate',
      'pangeo-gcp/climate-staging',
      'pangeo-gcp/ocean',
      'pangeo-gcp/ocean-staging',
    ]);
  });

  it('renders a hub with its cluster tfvars, byte for byte as the full render', async () => {
    const loaded = await loadFleet(join(process.cwd(), 'config'), { displayRoot: process.cwd() });
    if (!loaded.ok) throw new Error('the example fleet must load');
    const scoped = renderScoped(loaded.fleet, {
      everything: false,
      clusters: new Map([['pangeo-gcp', new Set(['ocean', 'gone'])]]),
    });
    const full = renderFleetFiles(loaded.fleet);
    expect(scoped.rendered).toEqual(['pangeo-gcp', 'pangeo-gcp/ocean']);
    expect(scoped.files).toEqual(
      full.filter((f) => f.cluster === 'pangeo-gcp' && (f.hub === undefined || f.hub === 'ocean')),
    );
  });
});
