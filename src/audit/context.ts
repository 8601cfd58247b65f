// What the audit rules read: the validated fleet with each file's YAML positions, every hub's
// rendered values (what would be deployed), the Terraform inputs, the fleet's workflows, the
// runner service accounts and, with --live, what the cluster runs. Built once; rules are pure.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { FieldPath } from '../config/field-path.js';
import { isRecord, valueAt } from '../config/field-path.js';
import type { Fleet, LoadedCluster, LoadedHub } from '../config/model.js';
import { Z2JH_VALUES_ROOT } from '../config/owned-values.js';
import { parseYaml, type YamlSource } from '../config/yaml-source.js';
import { renderTfvars, type ClusterTfvars } from '../render/tfvars.js';
import { renderManifests, type KubeObject } from '../render/manifests.js';
import { renderHelmValues, type HelmValues } from '../render/values.js';
import type { FindingLocation } from './finding.js';
import type { LiveAudience } from './live.js';

export interface HubContext {
  cluster: LoadedCluster;
  hub: LoadedHub;
  source: YamlSource;
  platform: YamlSource | undefined;
  /** The values helm would get (render's output, hubfleet's own values included). */
  rendered: HelmValues;
  /** Where the z2jh values sit in `rendered` (daskhub: under jupyterhub). */
  z2jhRoot: readonly string[];
  /** The Kubernetes objects deploy-hub applies beside the chart (BackendConfig, Ingress …). */
  manifests: KubeObject[];
}

export interface ClusterContext {
  cluster: LoadedCluster;
  source: YamlSource;
  tfvars: ClusterTfvars;
}

/** A YAML file outside the fleet model (workflows, runner service accounts). */
export interface YamlFile {
  file: string;
  source: YamlSource;
}

export interface TextFile {
  file: string;
  text: string;
}

export interface Ceilings {
  /** CPU cores one user server or Dask pod may be given. */
  cpu: number;
  /** GPUs one user server may be given. */
  gpu: number;
}

export const DEFAULT_CEILINGS: Ceilings = { cpu: 8, gpu: 1 };

export interface AuditContext {
  clusters: ClusterContext[];
  hubs: HubContext[];
  workflows: YamlFile[];
  runnerServiceAccounts: YamlFile[];
  /** terraform/<provider>/*.tf of the tool, when the repository has them. */
  terraform: TextFile[];
  ceilings: Ceilings;
  /** With --live: what each GKE hub's release pins, by hub file. */
  live: ReadonlyMap<string, LiveAudience> | undefined;
}

/**
 * Where a rendered value came from: the platform file when it sets the path (it wins the merge),
 * else the hub file; a value only hubfleet renders is pinned on the hub file's `values:` (or
 * `name:`), the file a reviewer would change.
 */
export function locateRendered(hub: HubContext, renderedPath: FieldPath): FindingLocation {
  const filePath = ['values', ...renderedPath];
  for (const source of [hub.platform, hub.source]) {
    if (source !== undefined && valueAt(source.data, filePath) !== undefined)
      return source.locate(filePath, 'value');
  }
  return hub.source.locate(isRecord(hub.source.data.values) ? ['values'] : ['name'], 'key');
}

async function parseFile(root: string, display: string, file: string): Promise<YamlSource | undefined> {
  const text = await readFile(join(root, file), 'utf8');
  const outcome = parseYaml(relative(display, join(root, file)) || file, text);
  return outcome.ok ? outcome.source : undefined;
}

async function listFiles(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => pattern.test(f)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export interface ContextOptions {
  /** The repository root: .github/workflows/ and terraform/ sit under it. */
  root: string;
  /** The fleet's config directory (its runners/ holds the runner scale sets). */
  configDir: string;
  /** Paths in findings are relative to this (the working directory, like validate's). */
  displayRoot: string;
  ceilings?: Ceilings;
  live?: ReadonlyMap<string, LiveAudience>;
}

function required(source: YamlSource | undefined, file: string): YamlSource {
  // The loader has just read the same file without a problem.
  if (source === undefined) throw new Error(`${file}: no longer reads as it did when the fleet loaded`);
  return source;
}

export async function buildAuditContext(fleet: Fleet, opts: ContextOptions): Promise<AuditContext> {
  const { displayRoot } = opts;
  const fromDisplay = (file: string): Promise<YamlSource | undefined> =>
    parseFile(displayRoot, displayRoot, file);
  const clusters: ClusterContext[] = [];
  const hubs: HubContext[] = [];
  for (const cluster of fleet.clusters) {
    clusters.push({
      cluster,
      source: required(await fromDisplay(cluster.file), cluster.file),
      tfvars: renderTfvars(cluster),
    });
    for (const hub of cluster.hubs) {
      const platform = hub.platform === undefined ? undefined : await fromDisplay(hub.platform.file);
      hubs.push({
        cluster,
        hub,
        source: required(await fromDisplay(hub.file), hub.file),
        platform,
        rendered: renderHelmValues(cluster, hub),
        z2jhRoot: Z2JH_VALUES_ROOT[hub.config.chart.name],
        manifests: renderManifests(cluster, hub),
      });
    }
  }
  const root = resolve(opts.root);
  const yamlFiles = async (dir: string, pattern: RegExp): Promise<YamlFile[]> => {
    const out: YamlFile[] = [];
    for (const name of await listFiles(join(root, dir), pattern)) {
      const source = await parseFile(root, displayRoot, join(dir, name));
      if (source !== undefined) out.push({ file: source.file, source });
    }
    return out;
  };
  const terraform: TextFile[] = [];
  for (const provider of ['aws', 'gcp']) {
    const dir = join('terraform', provider);
    for (const name of await listFiles(join(root, dir), /\.tf$/)) {
      const path = join(root, dir, name);
      terraform.push({ file: relative(displayRoot, path), text: await readFile(path, 'utf8') });
    }
  }
  return {
    clusters,
    hubs,
    workflows: await yamlFiles(join('.github', 'workflows'), /\.ya?ml$/),
    runnerServiceAccounts: await yamlFiles(
      relative(root, join(resolve(opts.configDir), 'runners')),
      /\.service-account\.ya?ml$/,
    ),
    terraform,
    ceilings: opts.ceilings ?? DEFAULT_CEILINGS,
    live: opts.live,
  };
}
