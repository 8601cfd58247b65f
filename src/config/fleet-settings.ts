// Settings of the whole fleet, not of one cluster: `config/fleet.yaml`. Today one: when the
// scheduled hub-health check runs. It is fleet-wide because the scheduled workflow is: one file
// with one cron line per check, whose jobs tell the checks apart by `github.event.schedule` (GitHub
// docs, "Events that trigger workflows: schedule"); a cadence per cluster would need a cron line per
// distinct cadence and a matrix filtered by it. The file is optional; without it the defaults hold.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubfleetError } from '../errors.js';
import { problemAt, type YamlSource } from './config-source.js';
import type { ConfigProblem } from './model.js';
import { formatProblem } from './problems.js';
import { parseYaml } from './yaml-source.js';

export const FLEET_SETTINGS_FILE = 'fleet.yaml';

/** Daily at 05:37 UTC: a server start per hub per run. */
export const DEFAULT_HEALTH_SCHEDULE = '37 5 * * *';

export interface FleetSettings {
  /** Cron (UTC) of the scheduled hub-health check. */
  healthSchedule: string;
}

export const DEFAULT_FLEET_SETTINGS: FleetSettings = { healthSchedule: DEFAULT_HEALTH_SCHEDULE };

/** [field, lowest, highest] of the five POSIX cron fields GitHub's schedule takes. */
const CRON_FIELDS: readonly [string, number, number][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 6],
];

/**
 * Why `cron` is not a cadence for the health check, or undefined. Five fields, numbers, `*`,
 * ranges, lists and steps (GitHub takes POSIX cron; no names, no `@daily`); the minute a single
 * number, so it runs at most hourly (each run starts a server in every hub, and the job may take
 * 90 minutes); and not the cron of another scheduled check (`reserved`), which the workflow could
 * not tell apart.
 */
export function healthScheduleProblem(cron: string, reserved: readonly string[]): string | undefined {
  const fields = cron.split(' ');
  if (fields.length !== 5 || fields.some((f) => f === '')) {
    return `expected 5 cron fields separated by single spaces (minute hour day-of-month month day-of-week), like "${DEFAULT_HEALTH_SCHEDULE}"`;
  }
  for (const [i, text] of fields.entries()) {
    const [name, low, high] = CRON_FIELDS[i] as [string, number, number];
    if (i === 0 && !/^\d{1,2}$/.test(text)) {
      return `the minute must be one number from 0 to 59 (at most one run an hour: each run starts a server in every hub), got "${text}"`;
    }
    const bad = cronFieldProblem(text, low, high);
    if (bad !== undefined) return `${name} "${text}": ${bad}`;
  }
  if (reserved.includes(cron)) {
    return `"${cron}" is already the cron of another scheduled check; the workflow tells the checks apart by it, so choose another minute`;
  }
  return undefined;
}

function cronFieldProblem(text: string, low: number, high: number): string | undefined {
  for (const part of text.split(',')) {
    const match = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (match === null) return 'expected numbers, *, ranges a-b, lists a,b or steps */n';
    const numbers = [match[2], match[3]].filter((n) => n !== undefined).map(Number);
    if (numbers.some((n) => n < low || n > high)) return `numbers must be from ${low} to ${high}`;
    if (numbers.length === 2 && (numbers[0] as number) > (numbers[1] as number))
      return 'a range must go upwards';
    if (match[4] !== undefined && Number(match[4]) === 0) return 'a step must be at least 1';
  }
  return undefined;
}

/** Problems of a parsed fleet.yaml (unknown keys, wrong types, a bad cadence), each at its line. */
export function fleetSettingsProblems(source: YamlSource, reserved: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(source.data)) {
    if (key !== 'schedules')
      problems.push(problemAt(source, [key], 'key', `unknown field "${key}"; allowed: schedules`));
  }
  const schedules = source.data['schedules'];
  if (schedules === undefined) return problems;
  if (typeof schedules !== 'object' || schedules === null || Array.isArray(schedules)) {
    problems.push(problemAt(source, ['schedules'], 'value', 'must be a mapping like {health: "37 5 * * *"}'));
    return problems;
  }
  for (const key of Object.keys(schedules)) {
    if (key !== 'health') {
      problems.push(problemAt(source, ['schedules', key], 'key', `unknown field "${key}"; allowed: health`));
    }
  }
  const health = (schedules as Record<string, unknown>)['health'];
  if (health === undefined) return problems;
  const bad =
    typeof health === 'string'
      ? healthScheduleProblem(health, reserved)
      : `must be a cron string, got ${JSON.stringify(health)}`;
  if (bad !== undefined) problems.push(problemAt(source, ['schedules', 'health'], 'value', bad));
  return problems;
}

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
      hint: `fix ${file} (schedules.health: a cron line in UTC, like "${DEFAULT_HEALTH_SCHEDULE}") and render the workflows again`,
    });
  }
  const schedules = parsed.source.data['schedules'] as { health?: string } | undefined;
  return { healthSchedule: schedules?.health ?? DEFAULT_HEALTH_SCHEDULE };
}
