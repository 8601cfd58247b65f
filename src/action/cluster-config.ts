// Loading the config inside an action: the whole fleet is validated (a broken hub file anywhere
// must stop a cloud change), problems become file:line annotations, and a cluster is found by name
// or refused with the names that exist (hub-selection.ts).
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { loadFleet } from '../config/load.js';
import type { Fleet, LoadedCluster } from '../config/model.js';
import { formatProblem } from '../config/problems.js';
import { HubfleetError } from '../errors.js';
import { findNameCollisions } from '../render/names.js';
import { findCluster } from './hub-selection.js';

/** The validated fleet under `configDir` (relative to the workspace), or an error naming the problems. */
export async function loadFleetForAction(configDir: string): Promise<Fleet> {
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const dir = resolve(workspace, configDir);
  const result = await loadFleet(dir, { displayRoot: workspace });
  const problems = result.ok ? result.warnings : result.problems;
  for (const p of problems) {
    const props = {
      file: p.file,
      startLine: p.line,
      startColumn: p.col,
      title: `hubfleet config${p.field === '' ? '' : `: ${p.field}`}`,
    };
    if (p.severity === 'error') core.error(p.message, props);
    else core.warning(p.message, props);
  }
  if (!result.ok) {
    const errors = result.problems.filter((p) => p.severity === 'error');
    throw new HubfleetError(
      `the fleet config in ${configDir} has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors
        .slice(0, 5)
        .map(formatProblem)
        .join('; ')}${errors.length > 5 ? '; …' : ''}`,
      {
        hint: 'fix the files named in the annotations (hubfleet validate shows the same); nothing was changed',
      },
    );
  }
  return result.fleet;
}

export async function loadClusterConfig(configDir: string, cluster: string): Promise<LoadedCluster> {
  const fleet = await loadFleetForAction(configDir);
  // Two hubs whose derived cloud names collide would fight over one bucket or service account.
  const collisions = findNameCollisions(fleet.clusters);
  if (collisions.length > 0) {
    throw new HubfleetError(`derived cloud resource names collide: ${collisions.join('; ')}`, {
      hint: 'rename one of the hubs (or clusters) so the names hubfleet derives differ; nothing was changed',
    });
  }
  return findCluster(fleet, cluster, configDir);
}
