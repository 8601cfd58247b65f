// Literal secrets in chart values (decision 0019). A hub file is committed, rendered into
// values.yaml and shown in the PR's rendered diff, so a secret in it is a leak. Values may name a
// Kubernetes Secret (valueFrom.secretKeyRef, existingSecret, …) but never hold one. Two ways to
// recognise a secret: the key that holds it (any value type: a number under cookieSecret is a
// secret too), and the shape of a string wherever it is (token formats, PEM private keys, URLs
// with a password, JSON with private_key, `client_secret = "…"` inside Python snippets).
// The validator reports each finding on its line; the renderer refuses the same findings, so
// nothing reaches a written file even through an API that skips validation.
import type { PathSegment } from './field-path.js';
import { memoized } from '../memo.js';

/** Key names (lowercased, without `_`, `-` and `.`) ending in one of these hold a credential. */
const SECRET_KEY_SUFFIXES = [
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'privatekey',
  'secretkey',
  'secretaccesskey',
  'cryptkey',
  'credentials',
  'pat',
];

/** Names of a reference to a Secret, not the secret itself. */
const REFERENCE_KEYS = new Set([
  'existingsecret',
  'secretname',
  'secretkeyref',
  'apitokenfromsecretname',
  'apitokenfromsecretkey',
]);

/**
 * Pure judgements kept per process (memo.ts): a fleet repeats the same keys thousands of times, and
 * long strings (snippets, the code rendered into every hub) too.
 */
const MEMO_MIN_LENGTH = 64;

const normalKey = (key: string): string => key.toLowerCase().replace(/[-_.]/g, '');

export const isSecretKey = memoized((key: string): boolean => {
  const k = normalKey(key);
  return !REFERENCE_KEYS.has(k) && SECRET_KEY_SUFFIXES.some((s) => k.endsWith(s));
});

/**
 * What a string looks like when it holds a secret, described for the message (never the value).
 * `needs`: substrings one of which a match must contain, checked first (a fleet holds thousands
 * of strings, and `includes` is far cheaper than a regular expression that tries every position);
 * `gate`, where given, a simple pattern every match must also contain.
 */
const SHAPES: ReadonlyArray<{ what: string; needs: readonly string[]; gate?: RegExp; pattern: RegExp }> = [
  {
    what: 'a GitHub token',
    needs: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})/,
  },
  { what: 'a Google API key', needs: ['AIza'], pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { what: 'an AWS access key', needs: ['AKIA', 'ASIA'], pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a Slack token', needs: ['xox'], pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/ },
  {
    what: 'a PEM private key',
    needs: ['PRIVATE KEY-----'],
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/,
  },
  { what: 'a URL with a password', needs: ['://'], pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i },
  { what: 'JSON holding a private_key', needs: ['"private_key"'], pattern: /"private_key"\s*:\s*"[^"]/ },
  {
    // Python (`c.X.client_secret = "…"`) or a mapping in code (`"api_token": "…"`), non-empty.
    what: 'a secret assigned in code',
    needs: ['"', "'"],
    // The pattern's one required group, as plain alternatives: one pass over a long string (a
    // Python snippet) instead of a backtracking `\b\w*` tried at every word.
    gate: /secret|passw|token|api_?key|private_?key/i,
    pattern:
      /\b\w*(?:secret|password|passwd|token|api_?key|private_?key)\w*["']?\s*[=:]\s*[rRbBuU]?(["'])(?!\1)[^"'\n]+\1/i,
  },
];

/** Every `needs` of every shape: a string holding none of them holds no secret shape. */
const ANY_NEED = new RegExp(
  [...new Set(SHAPES.flatMap((s) => s.needs))]
    .map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
);

function shapeOf(text: string): string | undefined {
  if (!ANY_NEED.test(text)) return undefined;
  return SHAPES.find(
    (s) =>
      s.needs.some((n) => text.includes(n)) &&
      (s.gate === undefined || s.gate.test(text)) &&
      s.pattern.test(text),
  )?.what;
}

const longShapeOf = memoized(shapeOf);

/** What kind of secret `text` holds, or undefined. */
export function secretShape(text: string): string | undefined {
  return text.length < MEMO_MIN_LENGTH ? shapeOf(text) : longShapeOf(text);
}

export interface SecretFinding {
  path: PathSegment[];
  /** `"cookieSecret" holds a literal value` or `holds a GitHub token`; never the value. */
  what: string;
}

/** A literal: any non-empty string or any number; booleans and null say nothing secret. */
function isLiteral(value: unknown): boolean {
  return (
    (typeof value === 'string' && value.trim() !== '') ||
    typeof value === 'number' ||
    typeof value === 'bigint'
  );
}

/** Every literal secret below `value`, with its path from `base`. */
export function findSecrets(value: unknown, base: readonly PathSegment[] = []): SecretFinding[] {
  const found: SecretFinding[] = [];
  scan(value, [...base], found);
  return found;
}

// `path` is one array pushed and popped along the walk; a finding takes a copy.
function scan(value: unknown, path: PathSegment[], found: SecretFinding[]): void {
  if (typeof value === 'string') {
    const shape = secretShape(value);
    if (shape !== undefined) found.push({ path: [...path], what: `holds ${shape}` });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      scan(value[i], path, found);
      path.pop();
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  // Kubernetes EnvVar in list form: {name: GITHUB_TOKEN, value: "…"}.
  const listEnv = typeof record.name === 'string' && isSecretKey(record.name) && isLiteral(record.value);
  if (listEnv)
    found.push({ path: [...path, 'value'], what: `"${String(record.name)}" holds a literal value` });
  for (const key of Object.keys(record)) {
    if (listEnv && key === 'value') continue;
    const item = record[key];
    if (isSecretKey(key)) {
      if (isLiteral(item)) {
        found.push({ path: [...path, key], what: `"${key}" holds a literal value` });
        continue;
      }
      // An EnvVar in map form ({value: "…"}); valueFrom references are fine.
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        const inner = (item as Record<string, unknown>).value;
        if (isLiteral(inner)) {
          found.push({ path: [...path, key, 'value'], what: `"${key}" holds a literal value` });
          continue;
        }
      }
    }
    path.push(key);
    scan(item, path, found);
    path.pop();
  }
}
