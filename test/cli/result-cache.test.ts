// The load results kept between the commands of a job (src/config/result-cache.ts), through the
// bundled CLI that alone has a build identity: a second command with HUBFLEET_CACHE_DIR takes the
// first one's result for exactly the same files, and checks the files again when one byte differs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin, type CliRun } from '../support/cli-runs.js';

let work = '';
let cache = '';

const validate = (): CliRun =>
  runBin(['validate', '--config', 'config'], work, { HUBFLEET_CACHE_DIR: cache });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-result-cache-cli-'));
  cpSync(join(process.cwd(), 'config'), join(work, 'config'), { recursive: true });
  cache = join(work, 'cache');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet validate with HUBFLEET_CACHE_DIR', () => {
  it('keeps its result, takes it back for the same files, and checks again when one changes', () => {
    expect(validate()).toEqual({ code: 0, stdout: 'fleet is valid: 2 clusters, 6 hubs\n', stderr: '' });
    const stored = readdirSync(cache).filter((n) => n.startsWith('load-'));
    expect(stored).toHaveLength(1);
    const file = join(cache, stored[0] ?? '');
    // Plant a different result under the same key: the next command reports it, so it was taken
    // from the cache and not worked out again.
    const result = JSON.parse(readFileSync(file, 'utf8')) as { fleet: { clusters: unknown[] } };
    result.fleet.clusters = result.fleet.clusters.slice(0, 1);
    writeFileSync(file, JSON.stringify(result));
    expect(validate().stdout).toBe('fleet is valid: 1 clusters, 2 hubs\n');
    // One more byte in one file: another key, the files are checked again.
    appendFileSync(join(work, 'config', 'clusters', 'pangeo-gcp', 'cluster.yaml'), '# changed\n');
    expect(validate()).toEqual({ code: 0, stdout: 'fleet is valid: 2 clusters, 6 hubs\n', stderr: '' });
  });
});
