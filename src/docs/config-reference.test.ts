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
});
