import { describe, expect, it } from '@jest/globals';
import { scopeToConfig, toConfigPath } from './config-scope.js';
import { labelledDeletions } from './label-scope.js';

describe('scopeToConfig', () => {
  it('renames paths under --config and marks config/... paths outside it', () => {
    expect(
      scopeToConfig(
        [
          { path: 'fleet/clusters/a/cluster.yaml', status: 'modified' },
          { path: 'config/clusters/a/hubs/x.yaml', status: 'deleted' },
          { path: 'config', status: 'added' },
          { path: 'terraform/gcp/main.tf', status: 'modified' },
          { path: 'fleetwood/clusters/a/cluster.yaml', status: 'added' },
        ],
        'fleet',
      ),
    ).toEqual([
      { path: 'config/clusters/a/cluster.yaml', status: 'modified' },
      { path: 'config/clusters/a/hubs/x.yaml', status: 'deleted', outsideConfig: true },
      { path: 'config', status: 'added', outsideConfig: true },
      { path: 'terraform/gcp/main.tf', status: 'modified' },
      { path: 'fleetwood/clusters/a/cluster.yaml', status: 'added' },
    ]);
  });

  it('leaves a fleet whose directory is config/ as it is', () => {
    const changes = [{ path: 'config/clusters/a/cluster.yaml', status: 'added' as const }];
    expect(scopeToConfig(changes, 'config')).toEqual(changes);
    expect(toConfigPath('config/clusters/a/cluster.yaml', 'config')).toBe('config/clusters/a/cluster.yaml');
  });
});

describe('labelledDeletions', () => {
  it('is the deleted hub files of the labelled change, nothing else', () => {
    expect([
      ...labelledDeletions([
        { path: 'config/clusters/a/hubs/gone.yaml', status: 'deleted' },
        { path: 'config/clusters/a/hubs/changed.yaml', status: 'modified' },
        { path: 'config/clusters/b/cluster.yaml', status: 'deleted' },
        { path: 'config/clusters/a/hubs/stray.yaml', status: 'deleted', outsideConfig: true },
      ]),
    ]).toEqual(['config/clusters/a/hubs/gone.yaml']);
  });
});
