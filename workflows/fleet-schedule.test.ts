import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_HEALTH_SCHEDULE, readFleetSettings } from '../src/config/fleet-settings.js';
import { renderAll } from './index.js';
import { OTHER_CHECK_SCHEDULES, SCHEDULES } from './scheduled.js';

interface ScheduledDoc {
  on: { schedule: { cron: string }[] };
  jobs: Record<string, { if?: string }>;
}
const scheduledDoc = (healthSchedule?: string): ScheduledDoc => {
  const file = renderAll(healthSchedule === undefined ? {} : { healthSchedule }).find((w) =>
    w.path.endsWith('/scheduled.yml'),
  );
  return parse(file?.content ?? '') as ScheduledDoc;
};

describe("the fleet's health check cadence (config/fleet.yaml schedules.health)", () => {
  it('is rendered into the scheduled workflow: its cron line and the health job’s condition, nothing else', () => {
    const custom = scheduledDoc('15 3 * * 1-5');
    const standard = scheduledDoc();
    expect(custom.on.schedule.map((s) => s.cron)).toEqual([
      '23 4 * * *',
      '41 */6 * * *',
      '7 * * * *',
      '15 3 * * 1-5',
      '53 3 * * *',
    ]);
    expect(custom.jobs.health?.if).toBe(
      "(github.event.schedule == '15 3 * * 1-5' || inputs.check == 'all' || inputs.check == 'health') && needs.targets.outputs.has-clusters == 'true'",
    );
    const { health: _h1, ...customRest } = custom.jobs;
    const { health: _h2, ...standardRest } = standard.jobs;
    expect(customRest).toEqual(standardRest);
    expect(standard.on.schedule.map((s) => s.cron)[3]).toBe(DEFAULT_HEALTH_SCHEDULE);
    expect(DEFAULT_HEALTH_SCHEDULE).toBe(SCHEDULES.health);
  });

  describe('readFleetSettings', () => {
    const dirs: string[] = [];
    const withFile = (text: string | undefined): string => {
      const dir = mkdtempSync(join(tmpdir(), 'fleet-settings-'));
      dirs.push(dir);
      if (text !== undefined) writeFileSync(join(dir, 'fleet.yaml'), text);
      return dir;
    };
    afterAll(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('takes the default without a file, and the fleet’s cron from one', () => {
      expect(readFleetSettings(withFile(undefined), OTHER_CHECK_SCHEDULES)).toEqual({
        healthSchedule: '37 5 * * *',
      });
      expect(
        readFleetSettings(withFile('schedules:\n  health: "0 */12 * * *"\n'), OTHER_CHECK_SCHEDULES),
      ).toEqual({ healthSchedule: '0 */12 * * *' });
    });

    it.each([
      [
        'schedules:\n  health: "*/5 * * * *"\n',
        '2:11: schedules.health: the minute must be one number from 0 to 59 (at most one run an hour: each run starts a server in every hub), got "*/5"',
      ],
      [
        'schedules:\n  health: "7 * * * *"\n',
        '2:11: schedules.health: "7 * * * *" is already the cron of another scheduled check; the workflow tells the checks apart by it, so choose another minute',
      ],
      [
        'schedules:\n  health: "37 5 * *"\n',
        '2:11: schedules.health: expected 5 cron fields separated by single spaces (minute hour day-of-month month day-of-week), like "37 5 * * *"',
      ],
      [
        'schedules:\n  health: "37 24 * * *"\n',
        '2:11: schedules.health: hour "24": numbers must be from 0 to 23',
      ],
      [
        'schedules:\n  health: "37 5 * * 5-1"\n',
        '2:11: schedules.health: day of week "5-1": a range must go upwards',
      ],
      ['schedules:\n  health: 5\n', '2:11: schedules.health: must be a cron string, got 5'],
      [
        'schedule:\n  health: "37 5 * * *"\n',
        '1:1: schedule: unknown field "schedule"; allowed: schedules, audit',
      ],
      ['schedules:\n  drift: "1 1 * * *"\n', '2:3: schedules.drift: unknown field "drift"; allowed: health'],
    ])('refuses %j naming file, line and field', (text, where) => {
      const dir = withFile(text);
      expect(() => readFleetSettings(dir, OTHER_CHECK_SCHEDULES)).toThrow(
        `${join(dir, 'fleet.yaml')} is not valid: ${join(dir, 'fleet.yaml')}:${where}`,
      );
    });
  });
});
