import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { IAP_AUTHENTICATOR_CLASS, IAP_AUTHENTICATOR_SOURCE, iapHubValues } from './iap-authenticator.js';

// The Python source is kept as a real file and compiled into a TS module, so lib/ and the ncc
// bundles carry it without asset copying. After editing the .py:
// UPDATE_GOLDEN=1 npm test -- src/render/iap-authenticator
const PY = join(process.cwd(), 'src/render/iap_authenticator.py');
const GENERATED = join(process.cwd(), 'src/render/iap-authenticator-source.ts');

/** The TS module for `source`: a template literal, escaped so it evaluates to exactly `source`. */
function sourceModule(source: string): string {
  const body = source.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return [
    '// Generated from iap_authenticator.py by src/render/iap-authenticator.test.ts; do not edit.',
    '// Regenerate: UPDATE_GOLDEN=1 npm test -- src/render/iap-authenticator',
    `export const IAP_AUTHENTICATOR_SOURCE = \`${body}\`;`,
    '',
  ].join('\n');
}

describe('IAP authenticator source', () => {
  const py = readFileSync(PY, 'utf8');

  it('is compiled into iap-authenticator-source.ts unchanged', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GENERATED, sourceModule(py));
    expect(readFileSync(GENERATED, 'utf8')).toBe(sourceModule(py));
    expect(IAP_AUTHENTICATOR_SOURCE).toBe(py);
  });

  it('defines the class the rendered config names and registers its module', () => {
    expect(py).toContain(`class ${IAP_AUTHENTICATOR_CLASS}(Authenticator):`);
    expect(py).toContain('sys.modules["hubfleet_iap"] = _hubfleet_iap');
  });

  it('survives the escaping of backslashes, backticks and ${ in the module text', () => {
    const tricky = 'a\\nb `c` ${d} \\\\ $e {f}\n';
    const text = sourceModule(tricky);
    const literal = text.slice(text.indexOf('`'), text.lastIndexOf('`') + 1);
    // Evaluate the literal as JavaScript would when the module is imported.
    const evaluated: unknown = runInNewContext(literal);
    expect(evaluated).toBe(tricky);
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
