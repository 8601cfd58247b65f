// Settings of the whole fleet, not of one cluster: `config/fleet.yaml`. When the scheduled
// hub-health check runs, and the ceilings of audit rule HF009. The loader checks the file with the
// rest of the config (load-core.ts), so `hubfleet validate` reports its problems at file:line:col.
// The health cadence is fleet-wide because the scheduled workflow is: one file
// with one cron line per check, whose jobs tell the checks apart by `github.event.schedule` (GitHub
// docs, "Events that trigger workflows: schedule"); a cadence per cluster would need a cron line per
// distinct cadence and a matrix filtered by it. The file is optional; without it the defaults hold.
// This file holds the checks, free of the YAML parser (the loader's fast path imports it);
// fleet-settings.ts reads the file on its own for the workflow generator.
import { problemAt, type YamlSource } from './config-source.js';
import type { ConfigProblem } from './model.js';

export const FLEET_SETTINGS_FILE = 'fleet.yaml';

/** Daily at 05:37 UTC: a server start per hub per run. */
export const DEFAULT_HEALTH_SCHEDULE = '37 5 * * *';

export interface FleetSettings {
  /** Cron (UTC) of the scheduled hub-health check. */
  healthSchedule: string;
  /** The fleet's ceilings for audit rule HF009; `hubfleet audit --max-cpu/--max-gpu` override them. */
  audit?: { maxCpu?: number; maxGpu?: number };
}

/**
 * The fields fleet.yaml accepts, in the JSON-schema shape the README reference is generated from
 * (src/docs/config-reference.ts); fleetSettingsProblems accepts exactly these keys.
 */
export const FLEET_SETTINGS_SCHEMA = {
  type: 'object',
  properties: {
    schedules: {
      type: 'object',
      description: 'crons (UTC) of the scheduled checks',
      properties: {
        health: {
          type: 'string',
          description: `the hub-health check (a server start per hub): one run an hour at most, not another check's cron; default \`${DEFAULT_HEALTH_SCHEDULE}\``,
        },
      },
    },
    audit: {
      type: 'object',
      description: 'ceilings of audit rule HF009 (`hubfleet audit --max-cpu/--max-gpu` override them)',
      properties: {
        maxCpu: {
          type: 'number',
          description: 'CPU cores one user server or Dask pod may be given, 0 or more; default 8',
        },
        maxGpu: { type: 'integer', minimum: 0, description: 'GPUs one user server may be given; default 1' },
      },
    },
  },
} as const;

type Section = keyof typeof FLEET_SETTINGS_SCHEMA.properties;
const SECTIONS = Object.keys(FLEET_SETTINGS_SCHEMA.properties) as Section[];
const fieldsOf = (section: Section): string[] =>
  Object.keys(FLEET_SETTINGS_SCHEMA.properties[section].properties);

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

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function auditCeilingProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    return `must be a number of ${field === 'maxCpu' ? 'CPU cores' : 'GPUs'}, 0 or more, got ${JSON.stringify(value)}`;
  if (field === 'maxGpu' && !Number.isInteger(value)) return `must be a whole number of GPUs, got ${value}`;
  return undefined;
}

/** Problems of a parsed fleet.yaml (unknown keys, wrong types, a bad cadence or ceiling), each at its line. */
export function fleetSettingsProblems(source: YamlSource, reserved: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(source.data)) {
    if (!(SECTIONS as string[]).includes(key))
      problems.push(
        problemAt(source, [key], 'key', `unknown field "${key}"; allowed: ${SECTIONS.join(', ')}`),
      );
  }
  for (const section of SECTIONS) {
    const value = source.data[section];
    if (value === undefined) continue;
    if (!isMapping(value)) {
      const like = section === 'schedules' ? '{health: "37 5 * * *"}' : '{maxCpu: 8, maxGpu: 1}';
      problems.push(problemAt(source, [section], 'value', `must be a mapping like ${like}`));
      continue;
    }
    const allowed = fieldsOf(section);
    for (const [key, field] of Object.entries(value)) {
      if (!allowed.includes(key)) {
        problems.push(
          problemAt(source, [section, key], 'key', `unknown field "${key}"; allowed: ${allowed.join(', ')}`),
        );
        continue;
      }
      const bad =
        section === 'audit'
          ? auditCeilingProblem(key, field)
          : typeof field === 'string'
            ? healthScheduleProblem(field, reserved)
            : `must be a cron string, got ${JSON.stringify(field)}`;
      if (bad !== undefined) problems.push(problemAt(source, [section, key], 'value', bad));
    }
  }
  return problems;
}

/** The settings of a fleet.yaml that fleetSettingsProblems found no fault with. */
export function fleetSettingsOf(data: Record<string, unknown>): FleetSettings {
  const schedules = data['schedules'] as { health?: string } | undefined;
  const audit = data['audit'] as { maxCpu?: number; maxGpu?: number } | undefined;
  const ceilings = {
    ...(audit?.maxCpu === undefined ? {} : { maxCpu: audit.maxCpu }),
    ...(audit?.maxGpu === undefined ? {} : { maxGpu: audit.maxGpu }),
  };
  return {
    healthSchedule: schedules?.health ?? DEFAULT_HEALTH_SCHEDULE,
    ...(audit === undefined ? {} : { audit: ceilings }),
  };
}
