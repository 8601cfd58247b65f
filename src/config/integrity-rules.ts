// Rules that keep the fleet's files one consistent, faithfully readable whole: no two clusters
// share a Terraform state or a cloud cluster, and no value is one that would be changed or refused
// on its way to helm (numbers JSON cannot carry exactly, keys the YAML writer cannot write, text
// that is not Unicode). Run over every file the loader read, before the typed fleet exists.
import type { ConfigProblem } from './model.js';
import { isRecord, type PathSegment } from './field-path.js';
import { locate, problemAt, type YamlSource } from './config-source.js';
import { providerOf } from './cluster-rules.js';
import { MAX_KEY_LENGTH, writtenKey } from '../render/yaml-emit.js';

export interface ClusterEntry {
  /** The directory under clusters/. */
  dir: string;
  source: YamlSource;
}

function where(source: YamlSource, path: readonly PathSegment[]): string {
  const { file, line } = locate(source, path, 'value');
  return `${file}:${line}`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The state object a backend setting names, in one spelling. Terraform's gcs backend adds the `/`
 * a prefix lacks, and hubfleet's s3 key drops trailing ones (src/tfplan/backend.ts), so `a` and
 * `a/` are one state; a leading `/`, `//` or a `.` segment is refused as the same location too:
 * two prefixes that differ only so are one mistyped copy of the other.
 */
export function stateLocation(provider: string, bucket: string, prefix: string): string {
  const cleanBucket = bucket
    .trim()
    .replace(/^(?:gs|s3):\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  const cleanPrefix = prefix
    .trim()
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
  return `${provider === 'aws' ? 's3' : 'gs'}://${cleanBucket}/${cleanPrefix}`;
}

/** The cloud cluster a cluster.yaml points at: GKE names are unique per project and location, EKS per account and region. */
export function cloudCluster(data: Record<string, unknown>): { key: string; shown: string } | undefined {
  const provider = providerOf(data);
  const block = provider === undefined ? undefined : data[provider];
  if (!isRecord(block)) return undefined;
  const name = text(block.clusterName);
  if (provider === 'gcp') {
    const project = text(block.project);
    const location = text(block.zone) ?? text(block.region);
    if (project === undefined || location === undefined || name === undefined) return undefined;
    return {
      key: `gke\0${project}\0${location}\0${name}`,
      shown: `GKE cluster ${project}/${location}/${name}`,
    };
  }
  const account = text(block.account);
  const region = text(block.region);
  if (account === undefined || region === undefined || name === undefined) return undefined;
  return { key: `eks\0${account}\0${region}\0${name}`, shown: `EKS cluster ${account}/${region}/${name}` };
}

/** Two cluster.yaml files that would share one Terraform state, or manage one cloud cluster. */
export function clusterIdentityRules(clusters: readonly ClusterEntry[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const states = new Map<string, ClusterEntry>();
  const cloud = new Map<string, ClusterEntry>();
  for (const cluster of clusters) {
    const data = cluster.source.data;
    const backend = isRecord(data.terraform) ? data.terraform.backend : undefined;
    const bucket = isRecord(backend) ? text(backend.bucket) : undefined;
    const prefix = isRecord(backend) ? text(backend.prefix) : undefined;
    if (bucket !== undefined && prefix !== undefined) {
      const location = stateLocation(text(data.provider) ?? '', bucket, prefix);
      const first = states.get(location);
      if (first === undefined) states.set(location, cluster);
      else
        problems.push(
          problemAt(
            cluster.source,
            ['terraform', 'backend', 'prefix'],
            'value',
            `Terraform state ${location} is already the state of cluster ${first.dir} (${where(first.source, ['terraform', 'backend', 'prefix'])}); two clusters in one state would each plan to destroy the other's resources: give this cluster its own prefix, e.g. clusters/${cluster.dir}`,
          ),
        );
    }
    const identity = cloudCluster(data);
    if (identity !== undefined) {
      const first = cloud.get(identity.key);
      const provider = providerOf(data);
      if (first === undefined) cloud.set(identity.key, cluster);
      else if (provider !== undefined)
        problems.push(
          problemAt(
            cluster.source,
            [provider, 'clusterName'],
            'value',
            `${identity.shown} is already cluster ${first.dir} (${where(first.source, [provider, 'clusterName'])}); two cluster directories for one cloud cluster would deploy the same hub namespaces twice: keep one directory and move its hubs there`,
          ),
        );
    }
  }
  return problems;
}

/** 2^53 − 1: integers past it are not exact in JavaScript, JSON readers or helm (float64). */
const LARGEST_EXACT = Number.MAX_SAFE_INTEGER;

function numberProblem(value: number): string | undefined {
  if (Number.isNaN(value) || !Number.isFinite(value)) {
    return `${String(value)} (.inf/.nan) has no JSON form, so helm and Terraform cannot take it: quote it if it is text, or write a finite number`;
  }
  if (Number.isInteger(value) && Math.abs(value) > LARGEST_EXACT) {
    // The value is not repeated: a long number is as likely a secret (a cookie secret, a token) as a count.
    return `a number beyond 2^53 (${LARGEST_EXACT}) cannot be carried exactly: helm would receive it rounded; quote it if it is text (an ID, a token), or write a smaller number`;
  }
  return undefined;
}

/** Any UTF-16 surrogate: a cheap test before the exact one below (most text has none). */
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A lone UTF-16 surrogate (from a `"\ud800"` escape): no UTF-8 writer can write it. */
function loneSurrogate(s: string): string | undefined {
  if (!SURROGATE.test(s)) return undefined;
  const match = LONE_SURROGATE.exec(s);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0).toString(16);
  return `holds a lone surrogate \\u${code}, which is not a Unicode character and cannot be written as UTF-8: write the character itself, not half of its escape`;
}

/** The longest a key can get when written: two quotes and a 6-character escape per code unit. */
const longestWritten = (key: string): number => 2 + 6 * key.length;

function keyProblem(key: string): string | undefined {
  const surrogate = loneSurrogate(key);
  if (surrogate !== undefined) return `key ${surrogate}`;
  if (longestWritten(key) <= MAX_KEY_LENGTH) return undefined;
  const written = writtenKey(key).length;
  if (written <= MAX_KEY_LENGTH) return undefined;
  return `a key of ${key.length} characters is ${written} once written as YAML (quotes and escapes included), more than the ${MAX_KEY_LENGTH} a YAML key may have, so render could not write it: shorten it`;
}

// Separate simple tests, each one native scan of the text: one alternation with a 171-character run
// was the slowest part of a cold 1,000-hub validate, and so were a 14-hex-digit run tried at every
// hex letter and the same tests as one JavaScript loop over the characters.
// An exponent is a digit or dot, `e`, an optional sign and a digit (the core schema's float), so
// `.example.org` in a domain does not count as one.
const NUMBER_OR_ESCAPE_SIGNS = /[\\&\ud800-\udfff]|\.(?:inf|nan)|[0-9.][eE][-+]?[0-9]/i;
// An integer past 2^53 written without an exponent: 16 decimal digits in a row (2^53 has 16; an
// octal 0o… one has more), or 0x and 14 hex digits (0x20000000000000 is 2^53).
const LONG_NUMBER = /[0-9]{16}|0x[0-9a-fA-F]{14}/;
const EXPLICIT_KEY = /(?:^|[\s[{,])\?(?:\s|$)/;

function hasLongLine(text: string, length: number): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if ((end < 0 ? text.length : end) - start >= length) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}

/**
 * False only when the file's text cannot hold what faithfulValueRules looks for, so the walk can
 * be skipped (most files; it showed in the cold 1,000-hub validate). Conservative by construction:
 * a lone surrogate comes from a `\\u`/`\\U` escape or is in the text itself; `.inf`/`.nan` are
 * written so; a number past 2^53, or one that overflows to Infinity, has 16 digits in a row, 0x
 * and 14 hex digits (the core schema's only hex form), or an exponent; and a key that could be too
 * long once written (at least 171 characters, see longestWritten) needs a line that long (CR,
 * U+2028 and U+2029 counted as line content), unless it is an explicit `?` key, the only kind that
 * may span lines, or an alias of an anchored multi-line scalar (any `&` walks).
 */
export function mayHoldUnfaithfulValues(text: string): boolean {
  return (
    NUMBER_OR_ESCAPE_SIGNS.test(text) ||
    LONG_NUMBER.test(text) ||
    hasLongLine(text, 171) ||
    (text.includes('?') && EXPLICIT_KEY.test(text))
  );
}

/** Every value in one file that would be changed or refused on its way to the rendered files. */
export function faithfulValueRules(source: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // One path, extended and shortened as the walk goes; copied only for a problem.
  const path: PathSegment[] = [];
  const report = (target: 'key' | 'value', message: string): void => {
    problems.push(problemAt(source, [...path], target, message));
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'number') {
      const message = numberProblem(value);
      if (message !== undefined) report('value', message);
    } else if (typeof value === 'string') {
      const message = loneSurrogate(value);
      if (message !== undefined) report('value', `text ${message}`);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i]);
        path.pop();
      }
    } else if (isRecord(value)) {
      for (const key of Object.keys(value)) {
        path.push(key);
        const message = keyProblem(key);
        if (message !== undefined) report('key', message);
        else visit(value[key]);
        path.pop();
      }
    }
  };
  visit(source.data);
  return problems;
}
