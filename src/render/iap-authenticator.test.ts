import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { IAP_AUTHENTICATOR_CLASS, IAP_AUTHENTICATOR_SOURCE, iapHubValues } from './iap-authenticator.js';

// The Python source is kept as a real file; scripts/generate-sources.mjs (run by npm ci, npm run
// build:lib and npm run build) compiles it into a TS module, so lib/ and the ncc bundles carry it
// without asset copying. These tests only check that the two agree; they never write source.
const PY = join(process.cwd(), 'src/render/iap_authenticator.py');
const GENERATOR = join(process.cwd(), 'scripts/generate-sources.mjs');

describe('IAP authenticator source', () => {
  const py = readFileSync(PY, 'utf8');

  it('is what the generated module exports, byte for byte', () => {
    expect(IAP_AUTHENTICATOR_SOURCE).toBe(py);
  });

  it('has a generated module exactly as the generator writes it (else: node scripts/generate-sources.mjs)', () => {
    const check = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('defines the class the rendered config names and registers its module', () => {
    expect(py).toContain(`class ${IAP_AUTHENTICATOR_CLASS}(Authenticator):`);
    expect(py).toContain('sys.modules["hubfleet_iap"] = _hubfleet_iap');
  });

  it('survives the escaping of backslashes, backticks and ${ in the module text', () => {
    const tricky = 'a\\nb `c` ${d} \\\\ $e {f}\n';
    const dir = mkdtempSync(join(tmpdir(), 'hubfleet-gen-'));
    try {
      writeFileSync(join(dir, 'tricky.py'), tricky);
      const out = join(dir, 'tricky.ts');
      const run = (...extra: string[]): string =>
        execFileSync(
          process.execPath,
          [GENERATOR, '--from', join(dir, 'tricky.py'), '--to', out, '--name', 'TRICKY', ...extra],
          { encoding: 'utf8' },
        );
      expect(run()).toBe(`generated ${out}\n`);
      const text = readFileSync(out, 'utf8');
      const literal = text.slice(text.indexOf('`'), text.lastIndexOf('`') + 1);
      // Evaluate the literal as JavaScript would when the module is imported.
      const evaluated: unknown = runInNewContext(literal);
      expect(evaluated).toBe(tricky);
      expect(text).toContain('export const TRICKY = `');
      // Up to date now: a second run and a check change nothing.
      expect(run()).toBe('');
      expect(run('--check')).toBe('');
      writeFileSync(join(dir, 'tricky.py'), `${tricky}more\n`);
      const stale = spawnSync(
        process.execPath,
        [GENERATOR, '--from', join(dir, 'tricky.py'), '--to', out, '--name', 'TRICKY', '--check'],
        { encoding: 'utf8' },
      );
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain(`out of date: ${out}; run node scripts/generate-sources.mjs`);
      expect(readFileSync(out, 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can be written as a YAML literal block (no tabs, no blank-looking lines, one final newline)', () => {
    expect(py.endsWith('\n') && !py.endsWith('\n\n')).toBe(true);
    expect(py.split('\n').filter((l) => l !== '' && l.trim() === '')).toEqual([]);
    expect(py).not.toMatch(/\t|\r/);
  });
});

describe('iapHubValues', () => {
  it('names the class by its registered import path and pins the project number', () => {
    expect(iapHubValues('123456789012')).toEqual({
      config: {
        JupyterHub: { authenticator_class: 'hubfleet_iap.HubfleetIAPAuthenticator' },
        HubfleetIAPAuthenticator: {
          project_number: '123456789012',
          keys_url: 'https://www.gstatic.com/iap/verify/public_key-jwk',
        },
      },
      extraConfig: { 'hubfleet-iap-authenticator': IAP_AUTHENTICATOR_SOURCE },
    });
  });
});
