// The pure core of config loading: file texts in, a validated Fleet or every problem out. It takes
// the full YAML parser as a parameter: load-sources.ts passes it (the synchronous API everyone
// uses), load-lazy.ts passes none at first and loads it only when a file needs it.
import type { ConfigProblem, Fleet, LoadResult, LoadedCluster, LoadedHub } from './model.js';
import {
  FastReadingDisagrees,
  fastSource,
  NeedsFullParser,
  type FullParser,
  type ParseOutcome,
  type YamlSource,
} from './config-source.js';
import { fastParse } from './fast-yaml.js';
import { isValidCluster, isValidHub, schemaProblems } from './schema-check.js';
import { clusterRules, coversNestedProblems, providerOf } from './cluster-rules.js';
import { hubRules } from './hub-rules.js';
import { fleetRules, type HubEntry } from './fleet-rules.js';
import { masterCidrOverlaps } from './gke-cluster-rules.js';
import { restrictedApisPerVpc } from './network-rules.js';
import { platformRules, platformValues } from './platform-rules.js';
import { compareProblems } from './problems.js';
import { clusterIdentityRules, faithfulValueRules, mayHoldUnfaithfulValues } from './integrity-rules.js';
import { renderAgreementRules } from './render-agreement.js';
import { fleetSettingsOf, fleetSettingsProblems } from './fleet-settings-rules.js';
import { OTHER_CHECK_SCHEDULES } from '../../workflows/schedules.js';

export interface ConfigSource {
  /** Repo-relative (or display) path, e.g. config/clusters/pangeo-gcp/hubs/ocean.yaml */
  path: string;
  text: string;
  /** Set when the file cannot be read as config at all (a symlink, bytes that are not UTF-8). */
  refused?: { line: number; col: number; message: string };
}

const CLUSTER_FILE = /(?:^|\/)clusters\/([^/]+)\/cluster\.yaml$/;
const HUB_FILE = /(?:^|\/)clusters\/([^/]+)\/hubs\/([^/]+)$/;
/** The platform team's privileged values for one hub (decision 0018); CODEOWNERS gives them to that team. */
const PLATFORM_FILE = /(?:^|\/)clusters\/([^/]+)\/platform\/([^/]+)$/;
const HUB_EXTENSION = '.yaml';
/** The fleet's own settings, `<config>/fleet.yaml` (fleet-settings.ts), beside clusters/. */
const FLEET_FILE = /(?:^|\/)fleet\.yaml$/;
const UNDER_CLUSTERS = /(?:^|\/)clusters\/[^/]+\//;

interface ClusterFile {
  dir: string;
  source: YamlSource;
}

type HubFile = HubEntry;

function fileProblem(file: string, message: string): ConfigProblem {
  return { file, line: 1, col: 1, severity: 'error', field: '', message };
}

/**
 * Files are first read with the fast parser (fast-yaml.ts); a file whose fast reading turns out to
 * differ from the full parser's when a problem in it needs a position is read again in full, and
 * the fleet checked again. Without `full`, throws NeedsFullParser when a file needs it.
 */
export function loadWith(
  sources: ReadonlyArray<ConfigSource>,
  full: FullParser | undefined,
  fast: (text: string) => Record<string, unknown> | undefined = fastParse,
): LoadResult {
  const fullOnly = new Set<string>();
  for (;;) {
    try {
      return loadOnce(sources, fullOnly, full, fast);
    } catch (err: unknown) {
      if (!(err instanceof FastReadingDisagrees) || fullOnly.has(err.file)) throw err;
      fullOnly.add(err.file);
    }
  }
}

function read(
  path: string,
  text: string,
  fullOnly: ReadonlySet<string>,
  full: FullParser | undefined,
  fast: (text: string) => Record<string, unknown> | undefined,
): ParseOutcome {
  const data = fullOnly.has(path) ? undefined : fast(text);
  if (data !== undefined) return { ok: true, source: fastSource(path, text, data, full), warnings: [] };
  if (full === undefined) throw new NeedsFullParser(path);
  return full.parseYaml(path, text);
}

function loadOnce(
  sources: ReadonlyArray<ConfigSource>,
  fullOnly: ReadonlySet<string>,
  full: FullParser | undefined,
  fast: (text: string) => Record<string, unknown> | undefined,
): LoadResult {
  const problems: ConfigProblem[] = [];
  const schema: ConfigProblem[] = [];
  const clusters: ClusterFile[] = [];
  const hubs: HubFile[] = [];
  const platforms: HubFile[] = [];
  let settings: YamlSource | undefined;
  const clusterDirs = new Set<string>();
  const ordered = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  for (const { path, text, refused } of ordered) {
    const clusterMatch = CLUSTER_FILE.exec(path);
    const hubMatch = HUB_FILE.exec(path);
    const platformMatch = PLATFORM_FILE.exec(path);
    if (refused !== undefined) {
      if (clusterMatch?.[1] !== undefined) clusterDirs.add(clusterMatch[1]);
      problems.push({
        file: path,
        line: refused.line,
        col: refused.col,
        severity: 'error',
        field: '',
        message: refused.message,
      });
      continue;
    }
    if (clusterMatch?.[1] !== undefined) {
      clusterDirs.add(clusterMatch[1]);
      const parsed = read(path, text, fullOnly, full, fast);
      if (!parsed.ok) problems.push(...parsed.problems);
      else {
        problems.push(...parsed.warnings);
        schema.push(...schemaProblems(parsed.source, 'cluster'));
        clusters.push({ dir: clusterMatch[1], source: parsed.source });
      }
    } else if (hubMatch?.[1] !== undefined && hubMatch[2] !== undefined) {
      const fileName = hubMatch[2];
      if (!fileName.endsWith(HUB_EXTENSION)) {
        problems.push(
          fileProblem(path, `hub files must end in ${HUB_EXTENSION}; rename it or move it out of hubs/`),
        );
        continue;
      }
      const parsed = read(path, text, fullOnly, full, fast);
      if (!parsed.ok) problems.push(...parsed.problems);
      else {
        problems.push(...parsed.warnings);
        schema.push(...schemaProblems(parsed.source, 'hub'));
        hubs.push({
          cluster: hubMatch[1],
          baseName: fileName.slice(0, -HUB_EXTENSION.length),
          source: parsed.source,
        });
      }
    } else if (platformMatch?.[1] !== undefined && platformMatch[2] !== undefined) {
      const fileName = platformMatch[2];
      if (!fileName.endsWith(HUB_EXTENSION)) {
        problems.push(
          fileProblem(
            path,
            `platform files must end in ${HUB_EXTENSION} and be named for their hub; rename it or move it out of platform/`,
          ),
        );
        continue;
      }
      const parsed = read(path, text, fullOnly, full, fast);
      if (!parsed.ok) problems.push(...parsed.problems);
      else {
        problems.push(...parsed.warnings);
        platforms.push({
          cluster: platformMatch[1],
          baseName: fileName.slice(0, -HUB_EXTENSION.length),
          source: parsed.source,
        });
      }
    } else if (FLEET_FILE.test(path) && !UNDER_CLUSTERS.test(path)) {
      const parsed = read(path, text, fullOnly, full, fast);
      if (!parsed.ok) problems.push(...parsed.problems);
      else {
        problems.push(...parsed.warnings, ...fleetSettingsProblems(parsed.source, OTHER_CHECK_SCHEDULES));
        settings = parsed.source;
      }
    } else {
      problems.push(
        fileProblem(
          path,
          'not a hubfleet config file: expected clusters/<cluster>/cluster.yaml, clusters/<cluster>/hubs/<hub>.yaml or clusters/<cluster>/platform/<hub>.yaml',
        ),
      );
    }
  }

  const schemaFields = new Set(schema.map((p) => `${p.file}\0${p.field}`));
  const semantic: ConfigProblem[] = [];
  for (const cluster of clusters) semantic.push(...clusterRules(cluster.source, cluster.dir));
  const providers = new Map(clusters.map((c) => [c.dir, providerOf(c.source.data)]));
  for (const hub of hubs) {
    if (!clusterDirs.has(hub.cluster)) {
      semantic.push(
        fileProblem(
          hub.source.file,
          `cluster ${hub.cluster} has no cluster.yaml; add clusters/${hub.cluster}/cluster.yaml`,
        ),
      );
    }
    semantic.push(...hubRules(hub.source, hub.baseName, providers.get(hub.cluster)));
  }
  semantic.push(...fleetRules(hubs), ...masterCidrOverlaps(clusters), ...clusterIdentityRules(clusters));
  semantic.push(...restrictedApisPerVpc(clusters));
  semantic.push(...platformRules(platforms, hubs, providers));
  const texts = new Map(ordered.map((s) => [s.path, s.text]));
  for (const file of [...clusters, ...hubs, ...platforms]) {
    if (mayHoldUnfaithfulValues(texts.get(file.source.file) ?? ''))
      semantic.push(...faithfulValueRules(file.source));
  }
  // A field the schema already rejected gets one message, not a second one built on a bad value;
  // and a field that must be removed as a whole needs no messages about its contents.
  const removed = semantic.filter(coversNestedProblems);
  const insideRemoved = (p: ConfigProblem): boolean =>
    removed.some(
      (r) => r.file === p.file && (p.field.startsWith(`${r.field}.`) || p.field.startsWith(`${r.field}[`)),
    );
  problems.push(
    ...schema.filter((p) => !insideRemoved(p)),
    ...semantic.filter((p) => !schemaFields.has(`${p.file}\0${p.field}`)),
  );

  const all = oncePerSpot(problems).sort(compareProblems);
  if (all.some((p) => p.severity === 'error')) return { ok: false, problems: all };
  const fleet = buildFleet(clusters, hubs, platforms);
  if (settings !== undefined) fleet.settings = fleetSettingsOf(settings.data);
  // Checks that need the typed fleet: what render would refuse (render-agreement.ts).
  const sourceOf = new Map([...clusters, ...hubs, ...platforms].map((f) => [f.source.file, f.source]));
  const late = renderAgreementRules(fleet, sourceOf);
  if (late.length > 0) return { ok: false, problems: oncePerSpot([...all, ...late]).sort(compareProblems) };
  return { ok: true, fleet, warnings: all };
}

/**
 * One problem per spot: two rules that find fault with the same field at the same place (a copied
 * hub file whose name is both not its file name and already taken) give one problem naming both
 * reasons, and a reason found twice is said once.
 */
function oncePerSpot(problems: ConfigProblem[]): ConfigProblem[] {
  const bySpot = new Map<string, ConfigProblem>();
  for (const p of problems) {
    const key = [p.file, p.line, p.col, p.severity, p.field].join('\0');
    const first = bySpot.get(key);
    if (first === undefined) bySpot.set(key, p);
    else if (!first.message.split('; also: ').includes(p.message))
      bySpot.set(key, { ...first, message: `${first.message}; also: ${p.message}` });
  }
  return [...bySpot.values()];
}

const byName = <T extends { config: { name: string } }>(a: T, b: T): number =>
  a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0;

// Only called when there are no errors, so every document passed its schema; the guards narrow the types.
function buildFleet(
  clusters: readonly ClusterFile[],
  hubs: readonly HubFile[],
  platforms: readonly HubFile[],
): Fleet {
  const loaded: LoadedCluster[] = [];
  for (const c of clusters) {
    const config = c.source.data;
    if (!isValidCluster(config)) continue;
    const own: LoadedHub[] = [];
    for (const h of hubs) {
      const hubConfig = h.source.data;
      if (h.cluster !== c.dir || !isValidHub(hubConfig)) continue;
      const platform = platforms.find((p) => p.cluster === h.cluster && p.baseName === h.baseName);
      own.push({
        file: h.source.file,
        cluster: config.name,
        config: hubConfig,
        ...(platform === undefined
          ? {}
          : { platform: { file: platform.source.file, values: platformValues(platform.source) } }),
      });
    }
    loaded.push({ file: c.source.file, config, hubs: own.sort(byName) });
  }
  return { clusters: loaded.sort(byName) };
}
