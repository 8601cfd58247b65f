// Enforces the hub-file allow-list (values-allow-list.ts, decision 0018): one problem per refused
// key, on its line, naming why and the safe alternative. Paths hubfleet owns or guards as entry
// points are left to hub-rules.ts (they may be stated with hubfleet's own value), and top-level
// keys the chart does not read are reported there too.
import type { ChartName, ConfigProblem, Provider } from './model.js';
import { formatPath, isRecord, type PathSegment } from './field-path.js';
import { problemAt, type YamlSource } from './config-source.js';
import { didYouMean } from './did-you-mean.js';
import {
  ENTRY_POINT_GUARDS,
  ownedValues,
  renderedEnv,
  Z2JH_TOP_LEVEL_KEYS,
  Z2JH_VALUES_ROOT,
} from './owned-values.js';
import {
  DASKHUB_ALLOW_LIST,
  DATA_VOLUME_SOURCES,
  KUBESPAWNER_OVERRIDE_ALLOWED,
  PRIVILEGE,
  PROFILE_CHOICE_KEYS,
  PROFILE_KEYS,
  PROFILE_OPTION_KEYS,
  UNLISTED_CHOICE_KEYS,
  Z2JH_ALLOW_LIST,
  protectedSecretNames,
  type ValueRule,
} from './values-allow-list.js';

/** `config/clusters/<c>/hubs/<hub>.yaml` → `config/clusters/<c>/platform/<hub>.yaml`. */
export function platformFileFor(hubFile: string): string {
  return hubFile.replace(/\/hubs\/([^/]+)$/, '/platform/$1');
}

interface Walk {
  source: YamlSource;
  /** Paths (formatted, from the file root) decided by the owned-value and entry-point rules. */
  governed: ReadonlySet<string>;
  /** Every path (formatted) that holds a governed path further down. */
  governedAbove: ReadonlySet<string>;
  /** Paths where the secret rules already report a literal secret. */
  secrets: ReadonlySet<string>;
  /** hubfleet's environment variables in user pods (their values are hubfleet's). */
  hubfleetEnv: ReadonlySet<string>;
  protectedSecrets: readonly string[];
  platformFile: string;
  chart: ChartName;
  problems: ConfigProblem[];
}

export function trustRules(
  source: YamlSource,
  provider: Provider | undefined,
  secretPaths: ReadonlySet<string>,
): ConfigProblem[] {
  const data = source.data;
  const chart = isRecord(data.chart) ? data.chart.name : undefined;
  const hub = typeof data.name === 'string' ? data.name : '';
  if ((chart !== 'basehub' && chart !== 'daskhub') || !isRecord(data.values)) return [];
  const { governed, governedAbove } = governedPathsOf(provider, chart);
  const buckets = isRecord(data.buckets) ? Object.keys(data.buckets) : [];
  const hubfleetEnv = new Set(
    (provider === undefined ? [] : renderedEnv(provider, chart, buckets))
      .filter((e) => e.path[0] === 'singleuser')
      .flatMap((e) => e.names),
  );
  const walk: Walk = {
    source,
    governed,
    governedAbove,
    secrets: secretPaths,
    hubfleetEnv,
    protectedSecrets: protectedSecretNames(hub),
    platformFile: platformFileFor(source.file),
    chart,
    problems: [],
  };
  const top = chart === 'daskhub' ? DASKHUB_ALLOW_LIST : Z2JH_ALLOW_LIST;
  if (top.kind !== 'map') return [];
  // Top-level keys the chart does not read, and z2jh keys at a daskhub's top level, are
  // hub-rules.ts's to report (with their own advice).
  for (const [key, value] of Object.entries(data.values)) {
    if (chart === 'daskhub' && Z2JH_TOP_LEVEL_KEYS.includes(key)) continue;
    const rule = ruleFor(top, key);
    if (rule !== undefined) check(walk, rule, ['values', key], value);
  }
  return walk.problems;
}

/**
 * The paths the owned-value and entry-point rules decide, per provider and chart: they do not depend
 * on the hub (only the owned values do), so each pair is worked out once per process.
 */
const governedCache = new Map<
  string,
  { governed: ReadonlySet<string>; governedAbove: ReadonlySet<string> }
>();

function governedPathsOf(
  provider: Provider | undefined,
  chart: ChartName,
): { governed: ReadonlySet<string>; governedAbove: ReadonlySet<string> } {
  const key = `${provider ?? ''}/${chart}`;
  const cached = governedCache.get(key);
  if (cached !== undefined) return cached;
  const root = Z2JH_VALUES_ROOT[chart];
  const governedPaths: PathSegment[][] = [
    // The hub's name changes owned values, never their paths.
    ...(provider === undefined ? [] : ownedValues(provider, 'hub', chart)).map((o) => [
      'values',
      ...(o.within === 'dask-gateway' ? ['dask-gateway'] : root),
      ...o.path,
    ]),
    ...ENTRY_POINT_GUARDS.map((g) =>
      g.within === 'z2jh' ? ['values', ...root, ...g.path] : ['values', 'dask-gateway', ...g.path],
    ),
  ];
  // Looked up once per node of the hub's values: sets, not a scan of every governed path.
  const result = {
    governed: new Set(governedPaths.map((p) => formatPath(p))),
    governedAbove: new Set(
      governedPaths.flatMap((p) => p.slice(1).map((_, depth) => formatPath(p.slice(0, depth + 1)))),
    ),
  };
  governedCache.set(key, result);
  return result;
}

/** The allow-list a key of `values` falls under, for messages. */
function allowListName(walk: Walk): string {
  return `the ${walk.chart} allow-list for hub files`;
}

function isGoverned(walk: Walk, path: readonly PathSegment[]): 'exact' | 'prefix' | undefined {
  const shown = formatPath(path);
  if (walk.governed.has(shown)) return 'exact';
  return walk.governedAbove.has(shown) ? 'prefix' : undefined;
}

/**
 * The rule the allow-list names for `key`: its own entries only, so a hub file's key named after an
 * Object.prototype member (`constructor`, `toString`, `__proto__`, …) is a key like any other and
 * not a rule (it was, and passed every check).
 */
function ruleFor(map: Extract<ValueRule, { kind: 'map' }>, key: string): ValueRule | undefined {
  return Object.hasOwn(map.keys, key) ? map.keys[key] : undefined;
}

/** `fixed`: no file may set it, so the message does not point to the platform file. */
function refuse(walk: Walk, path: readonly PathSegment[], message: string, fixed = false): void {
  if (walk.secrets.has(formatPath(path))) return;
  const stop = message.endsWith('?') ? '' : '.';
  const where = fixed
    ? `${stop} It is hubfleet's alone: the platform file may not set it either`
    : `${stop} If the platform team agrees it is needed, it goes in ${walk.platformFile} (CODEOWNERS gives that file to them)`;
  walk.problems.push(problemAt(walk.source, path, 'key', `${message}${where}`));
}

function privilegedMessage(rule: Extract<ValueRule, { kind: 'privileged' }>): string {
  const instead = rule.instead === undefined ? '' : `; ${rule.instead}`;
  return `is privileged: ${PRIVILEGE[rule.class]}, so a hub file may not set it${instead}`;
}

function check(walk: Walk, rule: ValueRule, path: PathSegment[], value: unknown): void {
  // Free keys are the hub's whatever lies below (owned paths under them are hub-rules.ts's).
  if (rule.kind === 'free') return;
  const governed = isGoverned(walk, path);
  if (governed === 'exact') return;
  // A container of owned paths that is not a mapping is reported by hub-rules.ts ("must be a mapping").
  if (governed === 'prefix' && !isRecord(value)) return;
  switch (rule.kind) {
    case 'privileged':
      // Descend to the owned path inside (e.g. hub.config.JupyterHub.authenticator_class) and refuse the rest.
      if (governed === 'prefix' && isRecord(value)) {
        for (const [key, item] of Object.entries(value)) check(walk, rule, [...path, key], item);
        return;
      }
      refuse(walk, path, privilegedMessage(rule), rule.fixed === true);
      return;
    case 'map':
      if (!isRecord(value)) {
        if (value === null || value === undefined) return;
        // A mapping whose every key is privileged, given as a whole: refused as such.
        const all = Object.keys(rule.keys).length === 0 ? rule.otherwise : undefined;
        if (all?.kind === 'privileged') refuse(walk, path, privilegedMessage(all), all.fixed === true);
        else refuse(walk, path, `must be a mapping of the keys ${allowListName(walk)} names`);
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        const child = ruleFor(rule, key) ?? rule.otherwise;
        if (child !== undefined) {
          check(walk, child, [...path, key], item);
          continue;
        }
        if (isGoverned(walk, [...path, key]) === 'exact') continue;
        const allowed = Object.entries(rule.keys)
          .filter(([, r]) => r.kind !== 'privileged')
          .map(([k]) => k);
        const match = didYouMean(key, allowed);
        const hint = match === undefined ? '' : `; did you mean "${match}"?`;
        refuse(walk, [...path, key], `is not on ${allowListName(walk)}${hint}`);
      }
      return;
    case 'env':
      checkEnv(walk, path, value);
      return;
    case 'volumes':
      checkVolumes(walk, path, value);
      return;
    case 'profiles':
      checkProfiles(walk, path, value);
      return;
  }
}

function checkEnv(walk: Walk, path: PathSegment[], value: unknown): void {
  // A list or scalar here is hub-rules.ts's "must be a mapping" when hubfleet renders into it.
  if (!isRecord(value)) return;
  for (const [name, item] of Object.entries(value)) {
    const at = [...path, name];
    if (walk.hubfleetEnv.has(name)) {
      refuse(
        walk,
        at,
        `is set by hubfleet (its value comes from the hub's buckets or Dask Gateway); remove it from values or name your variable differently`,
      );
      continue;
    }
    checkSecretRef(walk, at, item);
  }
}

/** `{valueFrom: {secretKeyRef: {name}}}` may name the hub's own Secrets, not the chart's or hubfleet's. */
function checkSecretRef(walk: Walk, path: PathSegment[], item: unknown): void {
  if (!isRecord(item) || !isRecord(item.valueFrom) || !isRecord(item.valueFrom.secretKeyRef)) return;
  const name = item.valueFrom.secretKeyRef.name;
  if (typeof name === 'string' && walk.protectedSecrets.includes(name)) {
    refuse(
      walk,
      [...path, 'valueFrom', 'secretKeyRef', 'name'],
      `is privileged: the Secret "${name}" holds the hub's own credentials (proxy and service API tokens, its OAuth client), which user pods must not get; reference a Secret of your own`,
    );
  }
}

function checkVolumes(walk: Walk, path: PathSegment[], value: unknown): void {
  const entries: Array<[PathSegment, unknown]> = Array.isArray(value)
    ? value.map((v: unknown, i) => [i, v])
    : isRecord(value)
      ? Object.entries(value)
      : [];
  for (const [key, volume] of entries) {
    if (!isRecord(volume)) continue;
    for (const field of Object.keys(volume)) {
      if (field === 'name' || DATA_VOLUME_SOURCES.includes(field)) continue;
      refuse(
        walk,
        [...path, key, field],
        `is privileged: a ${field} volume reaches the node or the Secrets of the hub's namespace; user pods may mount ${DATA_VOLUME_SOURCES.join(', ')}`,
      );
    }
  }
}

function checkProfiles(walk: Walk, path: PathSegment[], value: unknown): void {
  if (!Array.isArray(value)) {
    if (value !== null && value !== undefined) refuse(walk, path, 'must be a list of profiles');
    return;
  }
  value.forEach((profile: unknown, i) => {
    const at = [...path, i];
    if (!isRecord(profile)) return;
    knownKeys(walk, at, profile, PROFILE_KEYS, 'a KubeSpawner profile');
    checkOverride(walk, [...at, 'kubespawner_override'], profile.kubespawner_override);
    if (!isRecord(profile.profile_options)) return;
    for (const [name, option] of Object.entries(profile.profile_options)) {
      const optionAt = [...at, 'profile_options', name];
      if (!isRecord(option)) continue;
      knownKeys(walk, optionAt, option, PROFILE_OPTION_KEYS, 'a profile option');
      if (isRecord(option.choices)) {
        for (const [choiceName, choice] of Object.entries(option.choices)) {
          const choiceAt = [...optionAt, 'choices', choiceName];
          if (!isRecord(choice)) continue;
          knownKeys(walk, choiceAt, choice, PROFILE_CHOICE_KEYS, 'a profile choice');
          checkOverride(walk, [...choiceAt, 'kubespawner_override'], choice.kubespawner_override);
        }
      }
      if (isRecord(option.unlisted_choice)) {
        const unlistedAt = [...optionAt, 'unlisted_choice'];
        knownKeys(walk, unlistedAt, option.unlisted_choice, UNLISTED_CHOICE_KEYS, 'an unlisted choice');
        checkOverride(
          walk,
          [...unlistedAt, 'kubespawner_override'],
          option.unlisted_choice.kubespawner_override,
        );
      }
    }
  });
}

function knownKeys(
  walk: Walk,
  path: PathSegment[],
  value: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const match = didYouMean(key, allowed);
    refuse(
      walk,
      [...path, key],
      `is not a key of ${what}${match === undefined ? ` (${allowed.join(', ')})` : `; did you mean "${match}"?`}`,
    );
  }
}

function checkOverride(walk: Walk, path: PathSegment[], value: unknown): void {
  if (!isRecord(value)) return;
  for (const [trait, item] of Object.entries(value)) {
    const at = [...path, trait];
    if (!KUBESPAWNER_OVERRIDE_ALLOWED.includes(trait)) {
      refuse(
        walk,
        at,
        `is privileged: a profile's kubespawner_override may set only ${KUBESPAWNER_OVERRIDE_ALLOWED.join(', ')}; other KubeSpawner traits set the user pods' identity, namespace, privileges or code`,
      );
      continue;
    }
    if (trait === 'environment') checkEnv(walk, at, item);
    if (trait === 'volumes') checkVolumes(walk, at, item);
  }
}
