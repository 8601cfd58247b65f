import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { configReference, withReference } from './config-reference.js';

describe('config reference', () => {
  it('README.md carries the reference generated from the schemas (run npm run docs)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withReference(readme)).toBe(readme);
  });

  it('documents nested and optional fields with their types', () => {
    const text = configReference();
    expect(text).toContain('| `gcp.projectNumber` | string |');
    expect(text).toContain('| `stage` | `staging` \\| `prod` | yes |');
    expect(text).toContain('| `buckets.<name>.deleteAfterDays` | integer 1–3650 |');
    expect(text).toContain('| `iap.oauthClient.secret` | string | yes |');
  });

  it('documents config/fleet.yaml, every field the loader accepts', () => {
    const text = configReference();
    const fleet = text.slice(text.indexOf('### Fleet settings'));
    expect(fleet.split('\n').filter((l) => l.startsWith('| `'))).toEqual([
      '| `schedules` | object |  | crons (UTC) of the scheduled checks |',
      "| `schedules.health` | string |  | the hub-health check (a server start per hub): one run an hour at most, not another check's cron; default `37 5 * * *` |",
      '| `audit` | object |  | ceilings of audit rule HF009 (`hubfleet audit --max-cpu/--max-gpu` override them) |',
      '| `audit.maxCpu` | number |  | CPU cores one user server or Dask pod may be given, 0 or more; default 8 |',
      '| `audit.maxGpu` | integer 0–∞ |  | GPUs one user server may be given; default 1 |',
    ]);
  });
});
