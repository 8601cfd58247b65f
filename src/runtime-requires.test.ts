// The actions run their ncc bundles from a checkout of this repository, which has no
// node_modules: a package required at run time (createRequire) would be missing there, and the
// CLI's bundles would not carry it either. So a module may require at run time only Node's own
// modules; npm packages are imported statically, where the bundlers see them.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('run-time requires', () => {
  it('name only node: modules', () => {
    const found: string[] = [];
    for (const file of [...sources('src'), ...sources('workflows'), ...sources('actions')]) {
      const text = readFileSync(file, 'utf8');
      // The functions createRequire made in this file, and every call of them.
      const names = [...text.matchAll(/const (\w+) = createRequire\(/g)].map((m) => m[1] ?? '');
      for (const name of names) {
        for (const call of text.matchAll(new RegExp(`\\b${name}\\(([^)]*)\\)`, 'g'))) {
          found.push(`${file}: ${name}(${call[1] ?? ''})`);
        }
      }
    }
    expect(found.filter((f) => !/\('node:[a-z_/]+'\)$/.test(f))).toEqual([]);
    expect(found).toEqual(["src/digest.ts: requireBuiltin('node:crypto')"]);
  });
});
