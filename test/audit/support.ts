// Audit contexts for the rule tests: a fixture fleet loaded and rendered as `hubfleet audit` does.
import { join, resolve } from 'node:path';
import { buildAuditContext, type AuditContext } from '../../src/audit/context.js';
import { loadFleet } from '../../src/config/load.js';

export const ALL_RULES_FLEET = 'test/fixtures/audit/all-rules';

/** The context of the fleet repository at `dir` (paths in findings relative to it). */
export async function contextOf(dir: string): Promise<AuditContext> {
  const root = resolve(dir);
  const configDir = join(root, 'config');
  const loaded = await loadFleet(configDir, { displayRoot: root });
  if (!loaded.ok) throw new Error(`fixture ${dir} does not load: ${JSON.stringify(loaded.problems)}`);
  return buildAuditContext(loaded.fleet, { root, configDir, displayRoot: root });
}

/** The example fleet (config/ at the repository root). */
export const exampleContext = (): Promise<AuditContext> => contextOf('.');
