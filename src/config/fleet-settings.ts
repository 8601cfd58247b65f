// Reading `config/fleet.yaml` on its own, for the workflow generator (workflows/write.ts) and
// `hubfleet upgrade`; the checks and the settings' shape are in fleet-settings-rules.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubfleetError } from '../errors.js';
import { formatProblem } from './problems.js';
import { parseYaml } from './yaml-source.js';
import {
  DEFAULT_FLEET_SETTINGS,
  DEFAULT_HEALTH_SCHEDULE,
  FLEET_SETTINGS_FILE,
  fleetSettingsOf,
  fleetSettingsProblems,
  type FleetSettings,
} from './fleet-settings-rules.js';

export * from './fleet-settings-rules.js';

/**
 * `<configDir>/fleet.yaml`, checked; the defaults when there is none. `reserved`: the crons of the
 * other scheduled checks. Throws one error listing every problem with file:line:col.
 */
export function readFleetSettings(configDir: string, reserved: readonly string[]): FleetSettings {
  const file = join(configDir, FLEET_SETTINGS_FILE);
  if (!existsSync(file)) return DEFAULT_FLEET_SETTINGS;
  const parsed = parseYaml(file, readFileSync(file, 'utf8'));
  const problems = parsed.ok ? fleetSettingsProblems(parsed.source, reserved) : parsed.problems;
  const errors = problems.filter((p) => p.severity === 'error');
  if (!parsed.ok || errors.length > 0) {
    throw new HubfleetError(`${file} is not valid: ${errors.map(formatProblem).join('; ')}`, {
      hint: `fix ${file} (schedules.health: a cron line in UTC, like "${DEFAULT_HEALTH_SCHEDULE}"; audit.maxCpu, audit.maxGpu: numbers) and render the workflows again`,
    });
  }
  return fleetSettingsOf(parsed.source.data);
}
