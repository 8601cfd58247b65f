import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED, redactPlanJson, redactValue, scrubText } from './redact.js';

const fixtureText = readFileSync(
  join(import.meta.dirname, '../../test/fixtures/tfplan/mixed-plan.json'),
  'utf8',
);

// Every value the fixture marks sensitive, in any section Terraform puts one.
const SECRETS = [
  'a-child-secret-item',
  'child-default-secret',
  'drift-secret-token',
  'hmac-secret-value-0',
  'hmac-secret-value-1',
  'hunter2-very-secret',
  'old-output-secret',
  'planned-output-secret',
];

/** The value at a path of keys and list indexes, or undefined. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

describe('redactPlanJson', () => {
  it('replaces every marked value, in every section, and returns the values it removed', () => {
    const { plan, secrets } = redactPlanJson(JSON.parse(fixtureText));
    expect(secrets).toEqual(SECRETS);
    const text = JSON.stringify(plan);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(at(plan, 'variables')).toEqual({
      project: { value: 'pangeo-prod' },
      db_password: { value: REDACTED },
    });
    expect(at(plan, 'resource_changes', 3, 'change', 'before')).toEqual({
      access_id: 'GOOG1EXAMPLE',
      secret: REDACTED,
    });
    expect(at(plan, 'resource_changes', 3, 'change', 'after')).toEqual({
      access_id: 'GOOG1EXAMPLE',
      secret: REDACTED,
    });
    expect(at(plan, 'resource_drift', 1, 'change', 'before')).toEqual({ name: 'gone.', token: REDACTED });
    expect(at(plan, 'output_changes', 'hmac_secret', 'before')).toBe(REDACTED);
    expect(at(plan, 'output_changes', 'bucket', 'after')).toBe('plain-bucket');
    expect(at(plan, 'planned_values', 'outputs', 'hmac_secret', 'value')).toBe(REDACTED);
    expect(
      at(plan, 'planned_values', 'root_module', 'child_modules', 0, 'resources', 0, 'values', 'data'),
    ).toEqual([REDACTED, 'visible']);
    expect(at(plan, 'prior_state', 'values', 'root_module', 'resources', 0, 'values', 'secret')).toBe(
      REDACTED,
    );
    expect(at(plan, 'configuration', 'root_module', 'variables', 'db_password', 'default')).toBe(REDACTED);
    expect(
      at(
        plan,
        'configuration',
        'root_module',
        'module_calls',
        'hub',
        'module',
        'variables',
        'token',
        'default',
      ),
    ).toBe(REDACTED);
  });

  it('leaves the input untouched', () => {
    const input = JSON.parse(fixtureText) as unknown;
    redactPlanJson(input);
    expect(JSON.stringify(input)).toBe(JSON.stringify(JSON.parse(fixtureText)));
  });
});

describe('redactValue', () => {
  it.each([
    ['whole value', { a: 1 }, true, REDACTED],
    ['nothing', { a: 1 }, false, { a: 1 }],
    ['a key', { a: 'x', b: 'y' }, { b: true }, { a: 'x', b: REDACTED }],
    ['a list item', ['x', 'y'], [false, true], ['x', REDACTED]],
    ['nested', { m: { k: ['s'] } }, { m: { k: [true] } }, { m: { k: [REDACTED] } }],
    ['a sensitive null stays null', null, true, null],
  ])('%s', (_name, value, marks, expected) => {
    expect(redactValue(value, marks, new Set())).toEqual(expected);
  });
});

describe('scrubText', () => {
  it('removes secrets in plain and JSON-escaped form, longest first, and skips very short ones', () => {
    const secrets = ['abcd"efg', 'abcd', 'ok'];
    expect(scrubText('x abcd"efg y {"v":"abcd\\"efg"} abcd ok', secrets)).toBe(
      `x ${REDACTED} y {"v":"${REDACTED}"} ${REDACTED} ok`,
    );
  });
});
