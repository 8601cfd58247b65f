import { describe, expect, it } from '@jest/globals';
import { parseType, typeProblems } from './variable-types.js';

describe('parseType', () => {
  it('parses nested collections, objects and optional attributes with defaults', () => {
    expect(
      parseType(`map(object({
        name = string
        tags = optional(map(string), { a = "b,)" })
        pair = tuple([number, bool])
        any_list = list(any)
      }))`),
    ).toEqual({
      kind: 'map',
      element: {
        kind: 'object',
        attributes: {
          name: { type: { kind: 'string' }, optional: false },
          tags: { type: { kind: 'map', element: { kind: 'string' } }, optional: true },
          pair: {
            type: { kind: 'tuple', elements: [{ kind: 'number' }, { kind: 'bool' }] },
            optional: false,
          },
          any_list: { type: { kind: 'list', element: { kind: 'any' } }, optional: false },
        },
      },
    });
  });

  it('rejects an unknown type name', () => {
    expect(() => parseType('list(strin)')).toThrow('type list(strin): unknown type strin');
  });
});

describe('typeProblems', () => {
  const type = parseType('map(object({ a = string, n = number, o = optional(bool), l = list(string) }))');

  it('accepts a fitting value, nulls and omitted optional attributes', () => {
    expect(typeProblems(type, { x: { a: 'a', n: null, l: [] } }, 'v')).toEqual([]);
  });

  it('reports every wrong kind, missing and undeclared attribute', () => {
    expect(typeProblems(type, { x: { a: 1, n: '2', l: ['ok', 3], extra: true }, y: [] }, 'v')).toEqual([
      'v["x"].a: expected string, got number',
      'v["x"].n: expected number, got string',
      'v["x"].l[1]: expected string, got number',
      'v["x"].extra: emitted, not declared by the module',
      'v["y"]: expected object, got array',
    ]);
    expect(typeProblems(type, { x: { a: 'a', n: 1 } }, 'v')).toEqual([
      'v["x"].l: required by the module, not emitted',
    ]);
  });
});
