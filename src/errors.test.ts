import { describe, expect, it } from '@jest/globals';
import { HubfleetError, errorDetail, errorMessage, findHint, oneLine } from './errors.js';

describe('errorMessage turns anything thrown into one line', () => {
  const circular: Record<string, unknown> = { code: 7 };
  circular.self = circular;

  it.each<[string, unknown, string]>([
    ['an Error', new Error('disk full'), 'disk full'],
    ['an Error without message', new TypeError(''), 'TypeError'],
    ['a string', 'plain text', 'plain text'],
    ['an empty string', '', 'an empty string was thrown'],
    ['null', null, 'null was thrown (no error details)'],
    ['undefined', undefined, 'undefined was thrown (no error details)'],
    ['a number', 42, 'number thrown: 42'],
    ['an object with a message', { message: 'from a library', status: 500 }, 'from a library'],
    ['a plain object', { status: 404, url: '/x' }, 'non-error object thrown: {"status":404,"url":"/x"}'],
    ['a circular object', circular, 'non-error object thrown: [object Object]'],
    ['a multi-line message', new Error('first\n  second\r\nthird'), 'first second third'],
    [
      'a cause chain',
      new Error('deploy failed', { cause: new Error('helm exited 1') }),
      'deploy failed: helm exited 1',
    ],
    [
      'a cause already quoted by the wrapper',
      new Error('request failed: ECONNRESET', { cause: new Error('ECONNRESET') }),
      'request failed: ECONNRESET',
    ],
    ['a non-Error cause', new Error('outer', { cause: 'inner text' }), 'outer: inner text'],
    [
      'an AggregateError',
      new AggregateError([new Error('a down'), 'b down'], 'both failed'),
      'both failed (2 errors: a down; b down)',
    ],
  ])('%s', (_name, thrown, expected) => {
    expect(errorMessage(thrown)).toBe(expected);
  });

  it('stops at a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorMessage(a)).toBe('a: b: (circular cause)');
  });

  it('cuts a huge object', () => {
    expect(errorMessage({ blob: 'x'.repeat(2000) }).length).toBeLessThan(560);
  });
});

describe('HubfleetError and hints', () => {
  it('carries a hint and a cause', () => {
    const cause = new Error('403');
    const error = new HubfleetError('apply refused', { hint: 're-run the plan', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HubfleetError');
    expect(error.hint).toBe('re-run the plan');
    expect(error.cause).toBe(cause);
    expect(errorMessage(error)).toBe('apply refused: 403');
  });

  it('finds the first hint along the cause chain', () => {
    const inner = new HubfleetError('token rejected', { hint: 'check the token permissions' });
    expect(findHint(new Error('posting failed', { cause: inner }))).toBe('check the token permissions');
    expect(findHint(new Error('no hint here'))).toBeUndefined();
    expect(findHint('a string')).toBeUndefined();
  });
});

describe('errorDetail', () => {
  it('has each stack in the chain and the inner errors of an AggregateError', () => {
    const error = new Error('outer', { cause: new AggregateError([new Error('inner one')], 'agg') });
    const detail = errorDetail(error);
    expect(detail).toMatch(/^Error: outer\n\s+at /);
    expect(detail).toContain('caused by: AggregateError: agg');
    expect(detail).toContain('[0] Error: inner one');
  });
});

describe('oneLine', () => {
  it('joins lines and drops blank ones', () => {
    expect(oneLine('  a \n\n b\r\n c  ')).toBe('a b c');
  });
});
