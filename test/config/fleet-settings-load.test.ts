// config/fleet.yaml is part of the config the loaders check: `hubfleet validate` reports its
// problems at file:line:col like any other file's, and a valid one reaches the loaded fleet.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFleet } from '../../src/config/load.js';
import { loadFleetLazily } from '../../src/config/load-lazy.js';
import { formatProblem } from '../../src/config/problems.js';
import { runInProcess } from '../support/cli-runs.js';

let work = '';

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-fleet-yaml-'));
  cpSync('config/clusters', join(work, 'config/clusters'), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function validate(): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(['validate'], work);
}

const problemsOf = async (text: string): Promise<string[]> => {
  writeFileSync(join(work, 'config/fleet.yaml'), text);
  const eager = await loadFleet(join(work, 'config'), { displayRoot: work });
  const lazy = await loadFleetLazily(join(work, 'config'), { displayRoot: work });
  expect(lazy).toEqual(eager);
  return eager.ok ? [] : eager.problems.map(formatProblem);
};

describe('config/fleet.yaml in the loaders', () => {
  it.each([
    [
      'schedules:\n  health: "*/5 * * * *"\n',
      'config/fleet.yaml:2:11: schedules.health: the minute must be one number from 0 to 59 (at most one run an hour: each run starts a server in every hub), got "*/5"',
    ],
    [
      'schedules:\n  health: "7 * * * *"\n',
      'config/fleet.yaml:2:11: schedules.health: "7 * * * *" is already the cron of another scheduled check; the workflow tells the checks apart by it, so choose another minute',
    ],
    [
      'audit:\n  maxCpu: -1\n',
      'config/fleet.yaml:2:11: audit.maxCpu: must be a number of CPU cores, 0 or more, got -1',
    ],
    [
      'audit:\n  maxCpu: "8"\n',
      'config/fleet.yaml:2:11: audit.maxCpu: must be a number of CPU cores, 0 or more, got "8"',
    ],
    [
      'audit:\n  maxGpu: 1.5\n',
      'config/fleet.yaml:2:11: audit.maxGpu: must be a whole number of GPUs, got 1.5',
    ],
    [
      'audit:\n  maxMemory: 64\n',
      'config/fleet.yaml:2:3: audit.maxMemory: unknown field "maxMemory"; allowed: maxCpu, maxGpu',
    ],
    ['audit: 8\n', 'config/fleet.yaml:1:8: audit: must be a mapping like {maxCpu: 8, maxGpu: 1}'],
    [
      'shedules: {}\n',
      'config/fleet.yaml:1:1: shedules: unknown field "shedules"; allowed: schedules, audit',
    ],
  ])('reports %j at file:line:col, eager and lazy loader alike', async (text, problem) => {
    expect(await problemsOf(text)).toEqual([problem]);
  });

  it('puts a valid file into the loaded fleet', async () => {
    writeFileSync(
      join(work, 'config/fleet.yaml'),
      'schedules:\n  health: "0 6 * * 1-5"\naudit:\n  maxCpu: 16\n',
    );
    const loaded = await loadFleetLazily(join(work, 'config'), { displayRoot: work });
    expect(loaded.ok && loaded.fleet.settings).toEqual({
      healthSchedule: '0 6 * * 1-5',
      audit: { maxCpu: 16 },
    });
  });

  it('leaves settings out of a fleet without the file', async () => {
    const loaded = await loadFleet(join(work, 'config'), { displayRoot: work });
    expect(loaded.ok && loaded.fleet.settings).toBeUndefined();
  });

  it('refuses a link and a directory in its place', async () => {
    symlinkSync(join(work, 'elsewhere.yaml'), join(work, 'config/fleet.yaml'));
    const linked = await loadFleet(join(work, 'config'), { displayRoot: work });
    expect(linked.ok ? [] : linked.problems.map((p) => `${p.file}:${p.line}:${p.col}`)).toEqual([
      'config/fleet.yaml:1:1',
    ]);
    rmSync(join(work, 'config/fleet.yaml'));
    mkdirSync(join(work, 'config/fleet.yaml'));
    const dir = await loadFleet(join(work, 'config'), { displayRoot: work });
    expect(dir.ok ? [] : dir.problems.map(formatProblem)).toEqual([
      'config/fleet.yaml:1:1: fleet.yaml must be a file, not a directory',
    ]);
  });

  it('hubfleet validate fails on a bad fleet.yaml, naming file, line and field', async () => {
    writeFileSync(join(work, 'config/fleet.yaml'), 'audit:\n  maxGpu: -2\n');
    const r = await validate();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'config/fleet.yaml:2:11: audit.maxGpu: must be a number of GPUs, 0 or more, got -2',
    );
  });
});
