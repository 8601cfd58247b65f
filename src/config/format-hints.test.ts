import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClusterSchema, DNS_LABEL_PATTERN, DOMAIN_PATTERN, HubSchema } from './model.js';
import { explainDnsLabel, explainDomain, formatHint, patternMessage } from './format-hints.js';

function patterns(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) for (const item of schema) patterns(item, found);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'pattern' && typeof value === 'string') found.push(value);
      else patterns(value, found);
    }
  }
  return found;
}

describe('format hints', () => {
  it.each([...new Set([...patterns(ClusterSchema), ...patterns(HubSchema)])])(
    'has human wording for the schema pattern %s',
    (pattern) => {
      expect(formatHint(pattern)?.what).toEqual(expect.any(String));
    },
  );

  it('falls back to the schema description for a pattern without a hint', () => {
    expect(patternMessage('^x$', 'an x', 'y', '"y"')).toBe('must be an x (got "y")');
    expect(patternMessage('^x$', undefined, 'y', '"y"')).toBe('must be a string matching /^x$/ (got "y")');
  });

  it.each([
    ['Ocean.example.org', 'must be lowercase'],
    ['*.example.org', 'must not be a wildcard'],
    ['https://ocean.example.org', 'without scheme or path'],
    ['ocean.example.org/hub', 'without scheme or path'],
    ['ocean', 'at least two labels'],
    ['ocean..example.org', 'empty labels'],
    [`${'a'.repeat(64)}.org`, 'is 64 characters'],
    ['-ocean.example.org', 'must not start or end with "-"'],
    ['ocean.example.123', 'top-level domain of letters'],
    ['ocean_hub.example.org', 'found "_"'],
  ])('explains why %s is not a domain', (domain, reason) => {
    expect(explainDomain(domain)).toContain(reason);
  });

  it.each([
    ['Ocean', 'must be lowercase'],
    ['1ocean', 'must start with a letter'],
    ['ocean-', 'must not end with "-"'],
    ['ocean.hub', 'found "."'],
    ['a'.repeat(64), 'is 64 characters'],
    ['', 'must not be empty'],
  ])('explains why %s is not a DNS label', (label, reason) => {
    expect(explainDnsLabel(label)).toContain(reason);
  });

  // The explanations replace the pattern's message, so they must agree with the pattern exactly.
  const domainChars = fc.constantFrom(...'ab0-.*A_/'.split(''));
  it('explainDomain finds a reason exactly when DOMAIN_PATTERN rejects', () => {
    const pattern = new RegExp(DOMAIN_PATTERN);
    fc.assert(
      fc.property(fc.string({ unit: domainChars, maxLength: 12 }), (value) => {
        expect(explainDomain(value) === undefined).toBe(pattern.test(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('explainDnsLabel finds a reason exactly when DNS_LABEL_PATTERN rejects', () => {
    const pattern = new RegExp(DNS_LABEL_PATTERN);
    fc.assert(
      fc.property(fc.string({ unit: domainChars, maxLength: 70 }), (value) => {
        expect(explainDnsLabel(value) === undefined).toBe(pattern.test(value));
      }),
      { numRuns: 2000 },
    );
  });
});
