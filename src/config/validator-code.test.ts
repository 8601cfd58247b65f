import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_VALIDATORS_PATH, generatedValidatorsSource } from './validator-code.js';

const root = join(import.meta.dirname, '..', '..');

describe('generated validators', () => {
  it(`${GENERATED_VALIDATORS_PATH} matches the model (run \`npm run schema\`)`, () => {
    expect(readFileSync(join(root, GENERATED_VALIDATORS_PATH), 'utf8')).toBe(generatedValidatorsSource());
  });

  it('import only ajv runtime helpers, never the ajv compiler or the model', () => {
    const source = generatedValidatorsSource();
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const path of imports) expect(path).toMatch(/^ajv\/dist\/runtime\/[a-z0-9]+\.js$/);
    expect(source).not.toMatch(/\brequire\(/);
  });
});
