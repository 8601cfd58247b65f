// Rules for one hub file beyond its schema: name, provider-specific fields, bucket references,
// domain length, and the chart values hubfleet owns.
import type { ConfigProblem, Provider } from './model.js';
import { BUCKET_NAME_PATTERN } from './patterns.js';
import { formatPath, hasKey, isRecord, valueAt, type PathSegment } from './field-path.js';
import { problemAt, type YamlSource } from './config-source.js';
import { didYouMean } from './did-you-mean.js';
import { foreignField } from './cluster-rules.js';
import { CHART_SOURCES, knownChartVersions, latestChartVersion } from './charts.js';
import { compareVersions } from './version-order.js';
import { secretRules } from './secret-rules.js';
import { trustRules } from './trust-rules.js';
import { signInRules } from './sign-in-rules.js';
import {
  BLOCK_WITH_IPTABLES_PATH,
  DASKHUB_SUBCHART_KEYS,
  DASKHUB_TOP_LEVEL_KEYS,
  ENTRY_POINT_GUARDS,
  Z2JH_HTTP_ROUTE_SINCE,
  z2jhTopLevelKeys,
  ownedValues,
  sameOwnedValue,
  type OwnedValue,
  renderedEnv,
  Z2JH_TOP_LEVEL_KEYS,
  Z2JH_VALUES_ROOT,
} from './owned-values.js';

/** helm refuses release names longer than this (`helm install`: "exceeds max length of 53"). */
export const HELM_RELEASE_NAME_MAX = 53;

/** The ManagedCertificate CRD limits each domain to 63 characters in total, not just per label. */
export const MANAGED_CERTIFICATE_MAX_DOMAIN = 63;

// The schema's Record of buckets does not constrain its keys, so the key pattern is checked here.
const BUCKET_NAME = new RegExp(BUCKET_NAME_PATTERN);

/**
 * A file name and `name:` that differ only in case: the fix is renaming the file (hub names are
 * lowercase DNS labels, and a case-insensitive checkout cannot hold both spellings), or lowercasing
 * `name:` when the name is the one in the wrong case.
 */
function caseOnlyHint(baseName: string, name: string): string {
  const lower = name.toLowerCase();
  if (lower !== baseName.toLowerCase()) return '';
  const rename =
    baseName === lower ? '' : `rename the file to ${lower}.yaml (git mv ${baseName}.yaml ${lower}.yaml)`;
  const rewrite = name === lower ? '' : `write name: ${lower}`;
  return `: they differ only in case; ${[rename, rewrite].filter((s) => s !== '').join(' and ')}`;
}

export function hubRules(
  source: YamlSource,
  baseName: string,
  provider: Provider | undefined,
): ConfigProblem[] {
  const data = source.data;
  const problems: ConfigProblem[] = [];
  if (typeof data.name === 'string' && data.name !== baseName) {
    problems.push(
      problemAt(
        source,
        ['name'],
        'value',
        `must equal the file name "${baseName}" (got "${data.name}")${caseOnlyHint(baseName, data.name)}`,
      ),
    );
  }
  // Longer names fail the schema's own 63-character limit, which says so already.
  if (typeof data.name === 'string' && data.name.length > HELM_RELEASE_NAME_MAX && data.name.length <= 63) {
    problems.push(
      problemAt(
        source,
        ['name'],
        'value',
        `is ${data.name.length} characters; the hub name is also its helm release name, which helm limits to ${HELM_RELEASE_NAME_MAX}`,
      ),
    );
  }
  if (provider !== undefined) problems.push(...providerRules(source, provider));
  problems.push(...chartRules(source), ...bucketRules(source), ...valuesRules(source, provider));
  problems.push(...signInRules(source));
  // The trust model (decision 0018) and literal secrets (decision 0019) in values.
  const secrets = secretRules(source);
  problems.push(...secrets.problems, ...trustRules(source, provider, secrets.paths));
  return problems;
}

function providerRules(source: YamlSource, provider: Provider): ConfigProblem[] {
  const data = source.data;
  const problems: ConfigProblem[] = [];
  const forbid = (path: PathSegment[], owner: Provider, why: string): void => {
    problems.push(foreignField(source, path, owner, provider, why));
  };
  const perms = data.cloudPermissions;
  if (provider === 'gcp') {
    if (!hasKey(data, 'iap')) {
      problems.push(
        problemAt(
          source,
          ['iap'],
          'value',
          'required field is missing: hubs on GCP clusters are secured by IAP (iap: {members, oauthClient})',
        ),
      );
    }
    if (hasKey(data, 'auth')) forbid(['auth'], 'aws', 'GKE hubs are secured by IAP; remove auth:');
    if (isRecord(perms) && perms.extraIamPolicy !== undefined && perms.extraIamPolicy !== null) {
      forbid(
        ['cloudPermissions', 'extraIamPolicy'],
        'aws',
        'GCP hubs get IAM through Workload Identity; remove it or set it to null',
      );
    }
  } else {
    if (!hasKey(data, 'auth')) {
      problems.push(
        problemAt(
          source,
          ['auth'],
          'value',
          'required field is missing: hubs on AWS clusters need auth: {github: {allowedOrganizations, secret}}',
        ),
      );
    }
    if (hasKey(data, 'iap')) forbid(['iap'], 'gcp', 'IAP exists only on GCP; use auth.github on EKS');
    if (isRecord(perms) && hasKey(perms, 'requestorPays')) {
      forbid(['cloudPermissions', 'requestorPays'], 'gcp', 'requester-pays is a Cloud Storage feature');
    }
  }
  return problems;
}

const SEMANTIC_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;

/** chart.version must be one the chart's repository published (the schema checks only its shape). */
function chartRules(source: YamlSource): ConfigProblem[] {
  const name = valueAt(source.data, ['chart', 'name']);
  const version = valueAt(source.data, ['chart', 'version']);
  if (name !== 'basehub' && name !== 'daskhub') return [];
  if (typeof version !== 'string' || !SEMANTIC_VERSION.test(version)) return [];
  if (knownChartVersions(name).includes(version)) return [];
  const { chart, repo, floor } = CHART_SOURCES[name];
  const latest = latestChartVersion(name);
  const why =
    compareVersions(version, floor) < 0
      ? `is older than hubfleet supports for ${name} (${floor} or newer)`
      : `is not a published version of ${name} (chart "${chart}" from ${repo})`;
  return [
    problemAt(
      source,
      ['chart', 'version'],
      'value',
      `${version} ${why}; the newest is ${latest}. A release newer than hubfleet's list: run npm run chart-versions and commit the list`,
    ),
  ];
}

function bucketRules(source: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const buckets = isRecord(source.data.buckets) ? source.data.buckets : {};
  const defined = Object.keys(buckets);
  for (const name of defined) {
    if (!BUCKET_NAME.test(name)) {
      problems.push(
        problemAt(
          source,
          ['buckets', name],
          'key',
          `bucket name "${name}" must be 3–42 lowercase letters, digits and "-"`,
        ),
      );
    }
  }
  const perms = source.data.cloudPermissions;
  if (!isRecord(perms)) return problems;
  for (const list of ['bucketAdminAccess', 'bucketReadonlyAccess']) {
    const names = perms[list];
    if (!Array.isArray(names)) continue;
    names.forEach((name: unknown, index) => {
      if (typeof name !== 'string' || defined.includes(name)) return;
      const suggestion = didYouMean(name, defined);
      const tail =
        suggestion !== undefined
          ? `; did you mean "${suggestion}"?`
          : defined.length > 0
            ? ` (defined: ${defined.join(', ')})`
            : '; add it under buckets:';
      problems.push(
        problemAt(
          source,
          ['cloudPermissions', list, index],
          'value',
          `bucket "${name}" is not defined under buckets:${tail}`,
        ),
      );
    });
  }
  return problems;
}

function valuesRules(source: YamlSource, provider: Provider | undefined): ConfigProblem[] {
  const data = source.data;
  const problems: ConfigProblem[] = [];
  const chart = valueAt(data, ['chart', 'name']);
  const hubName = typeof data.name === 'string' ? data.name : undefined;
  if (
    provider === 'gcp' &&
    typeof data.domain === 'string' &&
    data.domain.length > MANAGED_CERTIFICATE_MAX_DOMAIN
  ) {
    problems.push(
      problemAt(
        source,
        ['domain'],
        'value',
        `is ${data.domain.length} characters; a ManagedCertificate domain on GKE holds at most ${MANAGED_CERTIFICATE_MAX_DOMAIN}`,
      ),
    );
  }
  if (chart !== 'basehub' && chart !== 'daskhub') return problems;
  const values = data.values;
  if (isRecord(values)) {
    if (chart === 'daskhub') {
      for (const key of Object.keys(values).filter((k) => Z2JH_TOP_LEVEL_KEYS.includes(k))) {
        problems.push(
          problemAt(
            source,
            ['values', key],
            'key',
            `daskhub nests the z2jh values under jupyterhub: move values.${key} to values.jupyterhub.${key}`,
          ),
        );
      }
      for (const key of Object.keys(values)) {
        if (DASKHUB_TOP_LEVEL_KEYS.includes(key) || Z2JH_TOP_LEVEL_KEYS.includes(key)) continue;
        // Conventional on any chart; daskhub's templates do not read them, but they do no harm.
        if (key === 'nameOverride' || key === 'fullnameOverride') continue;
        problems.push(
          problemAt(
            source,
            ['values', key],
            'key',
            `daskhub has no value ${key}: it reads only ${DASKHUB_TOP_LEVEL_KEYS.join(', ')} and would ignore this${suggest(key, DASKHUB_TOP_LEVEL_KEYS)}`,
          ),
        );
      }
    } else {
      for (const key of Object.keys(values).filter((k) => DASKHUB_SUBCHART_KEYS.includes(k))) {
        const fix =
          key === 'jupyterhub'
            ? 'basehub takes the z2jh values directly: move their contents up to values:'
            : 'dask-gateway is part of the daskhub chart: use chart.name daskhub';
        problems.push(problemAt(source, ['values', key], 'key', `basehub has no ${key} subchart; ${fix}`));
      }
      const version = valueAt(data, ['chart', 'version']);
      if (typeof version === 'string' && SEMANTIC_VERSION.test(version)) {
        const allowed = z2jhTopLevelKeys(compareVersions(version, Z2JH_HTTP_ROUTE_SINCE) >= 0);
        for (const key of Object.keys(values)) {
          if (allowed.includes(key) || DASKHUB_SUBCHART_KEYS.includes(key)) continue;
          const why =
            key === 'httpRoute'
              ? `z2jh has httpRoute from ${Z2JH_HTTP_ROUTE_SINCE} on`
              : "the chart's values.schema.json refuses unknown top-level keys";
          problems.push(
            problemAt(
              source,
              ['values', key],
              'key',
              `is not a value of the z2jh chart ${version} (${why})${suggest(key, allowed)}`,
            ),
          );
        }
      }
    }
  }
  const root: PathSegment[] = ['values', ...Z2JH_VALUES_ROOT[chart]];
  if (provider !== undefined && hubName !== undefined) {
    const blocked = new Map<string, { at: PathSegment[]; inside: string[] }>();
    for (const owned of ownedValues(provider, hubName, chart)) {
      const ownedRoot: PathSegment[] = owned.within === 'dask-gateway' ? ['values', 'dask-gateway'] : root;
      const found = ownedValueProblem(source, ownedRoot, owned.path, owned.value, owned.why);
      if (found === undefined) continue;
      if (found.kind === 'overridden') problems.push(found.problem);
      else {
        const key = formatPath(found.at);
        const entry = blocked.get(key) ?? { at: found.at, inside: [] };
        entry.inside.push(formatPath([...ownedRoot, ...owned.path]));
        blocked.set(key, entry);
      }
    }
    for (const { at, inside } of blocked.values()) {
      problems.push(
        problemAt(source, at, 'value', `must be a mapping: hubfleet sets ${inside.join(', ')} inside it`),
      );
    }
  }
  for (const guard of ENTRY_POINT_GUARDS) {
    if (guard.within === 'dask-gateway' && chart !== 'daskhub') continue;
    const at: PathSegment[] = [
      ...(guard.within === 'z2jh' ? root : ['values', 'dask-gateway']),
      ...guard.path,
    ];
    const given = valueAt(data, at);
    if (given === undefined || guard.allowed.some((allowed) => given === allowed)) continue;
    problems.push(
      problemAt(
        source,
        at,
        'value',
        `must be ${guard.allowed.map((a) => JSON.stringify(a)).join(' or ')} (or left unset): ${guard.why}`,
      ),
    );
  }
  if (provider !== undefined) {
    const buckets = isRecord(data.buckets) ? Object.keys(data.buckets) : [];
    for (const env of renderedEnv(provider, chart, buckets)) {
      const at = [...root, ...env.path];
      const given = valueAt(source.data, at);
      if (given === undefined || isRecord(given)) continue;
      problems.push(
        problemAt(
          source,
          at,
          'value',
          `must be a mapping (NAME: value, or NAME: {valueFrom: …}): hubfleet renders ${env.names.join(', ')} into it, which ${Array.isArray(given) ? 'a list' : 'this value'} would replace`,
        ),
      );
    }
  }
  const level = data.podSecurity;
  // On GKE hubfleet itself renders blockWithIptables: false (an owned value, checked above), so
  // only an EKS hub can end up with z2jh's privileged init container.
  if (
    provider === 'aws' &&
    (level === 'baseline' || level === 'restricted') &&
    valueAt(data, [...root, ...BLOCK_WITH_IPTABLES_PATH]) !== false
  ) {
    const setting = formatPath([...root, ...BLOCK_WITH_IPTABLES_PATH]);
    problems.push(
      problemAt(
        source,
        ['podSecurity'],
        'value',
        `${level} forbids the privileged init container z2jh uses to block the cloud metadata server; set ${setting}: false or use podSecurity: privileged`,
      ),
    );
  }
  return problems;
}

function suggest(key: string, allowed: readonly string[]): string {
  const match = didYouMean(key, allowed);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

function ownedValueProblem(
  source: YamlSource,
  root: readonly PathSegment[],
  path: readonly string[],
  rendered: OwnedValue['value'],
  why: string,
): { kind: 'overridden'; problem: ConfigProblem } | { kind: 'blocked'; at: PathSegment[] } | undefined {
  // A non-mapping on the way (e.g. `proxy: null`) would replace the whole subtree hubfleet renders into.
  for (let depth = 0; depth < path.length; depth++) {
    const at = [...root, ...path.slice(0, depth)];
    const node = valueAt(source.data, at);
    if (node === undefined) return undefined;
    if (!isRecord(node)) return { kind: 'blocked', at };
  }
  const full = [...root, ...path];
  const value = valueAt(source.data, full);
  if (value === undefined || sameValue(value, rendered)) return undefined;
  const shown = typeof rendered === 'string' ? `"${rendered}"` : JSON.stringify(rendered);
  const problem = problemAt(
    source,
    full,
    'value',
    `is set by hubfleet to ${shown} (${why}); remove it from values or set it to exactly that`,
  );
  return { kind: 'overridden', problem };
}

function sameValue(value: unknown, rendered: OwnedValue['value']): boolean {
  // Exactly (objects compared key-sorted): render compares the merged value and refuses any other
  // spelling (even a JSON annotation with other spacing), so validate must refuse it too
  // (render-agreement.ts).
  return sameOwnedValue(value, rendered);
}
