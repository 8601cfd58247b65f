// Everything `hubfleet render` writes, as relative paths and contents; the CLI and the actions
// decide where (under --out). Pure: same fleet, same bytes.
import { HubfleetError } from '../errors.js';
import type { Fleet, LoadedCluster } from '../config/model.js';
import type { LoadedHub } from '../config/model.js';
import { renderManifests, type KubeObject, type RenderManifestsOptions } from './manifests.js';
import { findNameCollisions } from './names.js';
import { compareKeys, toStableJson, toYamlDocument, toYamlDocuments } from './serialize.js';
import { renderTfvars } from './tfvars.js';
import { renderHelmValues, type RenderValuesOptions } from './values.js';

export interface RenderedFile {
  /** Relative, `/`-separated: `<cluster>/terraform.tfvars.json`, `<cluster>/hubs/<hub>/values.yaml`, … */
  path: string;
  content: string;
  cluster: string;
  /** Set for a hub's files; absent for the cluster's tfvars. */
  hub?: string;
}

export interface RenderFilter {
  cluster?: string;
  /** Only this hub's files; the cluster tfvars (which cover every hub) are then left out. */
  hub?: string;
}

export const tfvarsPath = (cluster: string): string => `${cluster}/terraform.tfvars.json`;
export const valuesPath = (cluster: string, hub: string): string => `${cluster}/hubs/${hub}/values.yaml`;
export const manifestsPath = (cluster: string, hub: string): string =>
  `${cluster}/hubs/${hub}/manifests.yaml`;

export type RenderHubOptions = RenderValuesOptions & RenderManifestsOptions;

/** One hub's helm values and manifests: the objects, and the exact text `hubfleet render` writes. */
export interface RenderedHub {
  values: string;
  manifests: string;
  objects: KubeObject[];
}

/** The one code path for a hub's files: `hubfleet render` writes these texts, deploy-hub applies them. */
export function renderHubFiles(
  cluster: LoadedCluster,
  hub: LoadedHub,
  opts: RenderHubOptions = {},
): RenderedHub {
  const objects = renderManifests(cluster, hub, opts);
  return {
    values: toYamlDocument(renderHelmValues(cluster, hub, opts)),
    manifests: toYamlDocuments(objects),
    objects,
  };
}

export function renderFleetFiles(fleet: Fleet, filter: RenderFilter = {}): RenderedFile[] {
  // Checked over the whole fleet even when filtered: a collision with an unrendered hub is still one.
  const collisions = findNameCollisions(fleet.clusters);
  if (collisions.length > 0) {
    throw new HubfleetError(`derived cloud resource names collide: ${collisions.join('; ')}`, {
      hint: 'rename one of the hubs (or clusters) so the names hubfleet derives differ',
    });
  }
  const clusters = [...fleet.clusters]
    .filter((c) => filter.cluster === undefined || c.config.name === filter.cluster)
    .sort((a, b) => compareKeys(a.config.name, b.config.name));
  if (filter.cluster !== undefined && clusters.length === 0) {
    throw new HubfleetError(`no cluster named ${filter.cluster} in the fleet`, {
      hint: `use one of: ${fleet.clusters.map((c) => c.config.name).join(', ') || '(none)'}`,
    });
  }

  const files: RenderedFile[] = [];
  let hubMatched = false;
  for (const cluster of clusters) {
    const name = cluster.config.name;
    if (filter.hub === undefined) {
      files.push({ path: tfvarsPath(name), content: toStableJson(renderTfvars(cluster)), cluster: name });
    }
    for (const hub of sortedHubs(cluster)) {
      const hubName = hub.config.name;
      if (filter.hub !== undefined && hubName !== filter.hub) continue;
      hubMatched = true;
      const rendered = renderHubFiles(cluster, hub);
      files.push({ path: valuesPath(name, hubName), content: rendered.values, cluster: name, hub: hubName });
      files.push({
        path: manifestsPath(name, hubName),
        content: rendered.manifests,
        cluster: name,
        hub: hubName,
      });
    }
  }
  if (filter.hub !== undefined && !hubMatched) {
    throw new HubfleetError(
      `no hub named ${filter.hub}${filter.cluster === undefined ? '' : ` in cluster ${filter.cluster}`}`,
      { hint: 'check the hub name (it is the file name under config/clusters/<cluster>/hubs/)' },
    );
  }
  return files;
}

function sortedHubs(cluster: LoadedCluster): LoadedCluster['hubs'] {
  return [...cluster.hubs].sort((a, b) => compareKeys(a.config.name, b.config.name));
}

export const platformValuesPath = (cluster: string, hub: string): string => `${cluster}/platform/${hub}.yaml`;

/**
 * The platform team's values per hub (decision 0018), as the diff shows them under their own
 * heading: a reviewer sees the privileged part of a change apart from the hub's own. They are
 * already merged into each hub's values.yaml; these are not written by `hubfleet render`.
 */
export function platformValueFiles(fleet: Fleet): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const cluster of [...fleet.clusters].sort((a, b) => compareKeys(a.config.name, b.config.name))) {
    for (const hub of sortedHubs(cluster)) {
      if (hub.platform === undefined) continue;
      const name = cluster.config.name;
      files.push({
        path: platformValuesPath(name, hub.config.name),
        content: toYamlDocument(hub.platform.values),
        cluster: name,
        hub: hub.config.name,
      });
    }
  }
  return files;
}
