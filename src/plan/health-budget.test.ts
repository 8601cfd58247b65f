import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadActionYml } from '../action/action-yml.js';
import { deploy } from '../../workflows/deploy.js';
import {
  HEALTH_ATTEMPTS,
  HEALTH_CELL_TIMEOUT_MINUTES,
  HEALTH_CONCURRENCY,
  HEALTH_MINUTES_PER_HUB_WAVE,
  HEALTH_SPAWN_TIMEOUT_MINUTES,
  healthCheckMinutes,
} from './health-budget.js';

describe("hub-health's share of a stage job", () => {
  it('is 3 slow spawns of 10 minutes, 3 cells of 5 minutes and 1 minute of stops and waits: 46 minutes per wave of 4 hubs', () => {
    expect(HEALTH_MINUTES_PER_HUB_WAVE).toBe(46);
    expect([1, 4, 5, 8, 9].map(healthCheckMinutes)).toEqual([46, 46, 92, 92, 138]);
  });

  it('rests on the hub-health defaults that the stage jobs run with (the deploy workflow overrides none)', async () => {
    const yml = await loadActionYml(join(process.cwd(), 'actions/hub-health/action.yml'));
    const defaults = Object.fromEntries(
      ['attempts', 'spawn-timeout', 'cell-timeout', 'concurrency', 'retry-budget'].map((n) => [
        n,
        yml.inputs?.[n]?.default,
      ]),
    );
    expect(defaults).toEqual({
      attempts: String(HEALTH_ATTEMPTS),
      'spawn-timeout': `${HEALTH_SPAWN_TIMEOUT_MINUTES}m`,
      'cell-timeout': `${HEALTH_CELL_TIMEOUT_MINUTES}m`,
      concurrency: String(HEALTH_CONCURRENCY),
      // Three spawns start within it: the third at about 2 × 10 minutes plus the waits.
      'retry-budget': '30m',
    });
    const healthSteps = Object.values(deploy.jobs).flatMap((job) =>
      (job.steps ?? []).filter((s) => 'uses' in s && String(s.uses).endsWith('actions/hub-health')),
    );
    expect(healthSteps.length).toBeGreaterThan(0);
    for (const step of healthSteps) {
      expect(Object.keys((step as { with?: Record<string, unknown> }).with ?? {}).sort()).toEqual([
        'cluster',
        'hubs',
        'id-token',
      ]);
    }
  });
});
