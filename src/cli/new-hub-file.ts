// `hubfleet new-hub`: the file a person commits to ask for a hub. It must validate as written, so
// the PR starts green; it never overwrites an existing file or takes a name or domain in use.
import { mkdir, open, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { loadFleet } from '../config/load.js';
import type { ConfigProblem, HubConfig } from '../config/model.js';
import { latestChartVersion } from '../config/charts.js';
import { findCluster } from './names.js';
import { UsageError } from './usage-error.js';

export interface NewHubRequest {
  configDir: string;
  /** Paths in messages are shown relative to this directory. */
  displayRoot: string;
  cluster: string;
  name: string;
  domain: string;
  stage: string;
  chart: string;
  members: string[];
  githubOrgs: string[];
}

export type NewHubResult =
  { ok: true; file: string; config: HubConfig } | { ok: false; message: string; problems: ConfigProblem[] };

const STAGES = ['staging', 'prod'] as const;
const CHARTS = ['basehub', 'daskhub'] as const;

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return found;
}

/** `ocean-2` → `GITHUB_OAUTH_OCEAN_2`: the GitHub Actions secret the deploy reads. */
export function oauthSecretName(hub: string): string {
  return `GITHUB_OAUTH_${hub.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function newHubConfig(request: NewHubRequest, provider: 'gcp' | 'aws'): HubConfig {
  const stage = oneOf(request.stage, STAGES, 'stage');
  const chart = oneOf(request.chart, CHARTS, 'chart');
  const hub: HubConfig = {
    name: request.name,
    stage,
    domain: request.domain,
    // New hubs start on the chart's newest release; reviewers bump it per hub afterwards.
    chart: { name: chart, version: latestChartVersion(chart) },
  };
  if (provider === 'gcp') {
    if (request.githubOrgs.length > 0) throw new UsageError('--github-org is for EKS hubs; GKE hubs use IAP');
    if (request.members.length === 0) {
      throw new UsageError(
        `${request.cluster} is a GKE cluster: its hubs sit behind IAP; name who may use the hub with --member group:team@example.org`,
      );
    }
    hub.iap = { members: request.members, oauthClient: 'google-managed' };
  } else {
    if (request.members.length > 0)
      throw new UsageError('--member is for GKE hubs behind IAP; EKS hubs use --github-org');
    if (request.githubOrgs.length === 0) {
      throw new UsageError(
        `${request.cluster} is an EKS cluster: its hubs sign in with GitHub; name the allowed organisations with --github-org ORG`,
      );
    }
    hub.auth = {
      github: { allowedOrganizations: request.githubOrgs, secret: oauthSecretName(request.name) },
    };
  }
  hub.podSecurity = POD_SECURITY[provider];
  return hub;
}

/**
 * The Pod Security level a new hub needs on each provider. z2jh adds a `block-cloud-metadata` init
 * container, privileged with NET_ADMIN, when `singleuser.cloudMetadata.blockWithIptables` is true
 * (its default; jupyterhub/files/hub/jupyterhub_config.py in zero-to-jupyterhub-k8s), which only
 * `privileged` admits. On GKE hubfleet renders `blockWithIptables: false` itself (src/render/values.ts:
 * GKE's metadata server serves Workload Identity), so `baseline` admits every pod the chart makes;
 * on EKS the default stays, hence `privileged` (a hub file may lower it together with
 * `blockWithIptables: false`).
 */
export const POD_SECURITY: Readonly<Record<'gcp' | 'aws', NonNullable<HubConfig['podSecurity']>>> = {
  gcp: 'baseline',
  aws: 'privileged',
};

/** The GitHub Actions secrets a hub file names (never their values), in the order they appear. */
export function referencedSecrets(config: HubConfig): string[] {
  const names: string[] = [];
  const oauthClient = config.iap?.oauthClient;
  if (oauthClient !== undefined && typeof oauthClient === 'object') names.push(oauthClient.secret);
  if (config.auth?.github.secret !== undefined) names.push(config.auth.github.secret);
  return names;
}

/**
 * The hub's chart values, empty, with where the trust model (decision 0018) draws the line: what a
 * hub file may set, and the platform file for what only the platform team may.
 */
export function valuesTrailer(cluster: string, hub: string, chart: 'basehub' | 'daskhub'): string {
  const where =
    chart === 'daskhub' ? ' (daskhub: z2jh values under jupyterhub:, Dask Gateway under dask-gateway:)' : '';
  return [
    `# Chart values${where}: images, resources, profile lists, storage, culling and user`,
    '# environment are yours to set (README "What a hub file may change"). Privileged values',
    `# (extraConfig, authenticator, spawner identity, hub mounts, pod security, networking) go in`,
    `# config/clusters/${cluster}/platform/${hub}.yaml, which the platform team owns (CODEOWNERS).`,
    'values: {}',
    '',
  ].join('\n');
}

export async function createHubFile(request: NewHubRequest): Promise<NewHubResult> {
  const before = await loadFleet(request.configDir, { displayRoot: request.displayRoot });
  if (!before.ok) {
    return {
      ok: false,
      message: 'the fleet config has errors already; fix them before adding a hub (nothing was written)',
      problems: before.problems,
    };
  }
  const cluster = findCluster(before.fleet, request.cluster);
  const config = newHubConfig(request, cluster.config.provider);
  const path = join(request.configDir, 'clusters', request.cluster, 'hubs', `${request.name}.yaml`);
  const shown = relative(request.displayRoot, path);
  const sameDomain = before.fleet.clusters
    .flatMap((c) => c.hubs)
    .find((h) => h.config.domain === request.domain);
  if (sameDomain !== undefined) {
    return {
      ok: false,
      message: `domain ${request.domain} is taken by ${sameDomain.file}; pick another (nothing was written)`,
      problems: [],
    };
  }

  const text = `# yaml-language-server: $schema=../../../schema/hub.schema.json\n${stringify(config, { lineWidth: 0 })}${valuesTrailer(request.cluster, request.name, config.chart.name)}`;
  // `wx` refuses to overwrite, atomically: a hub of that name (name = file name) already exists.
  // mkdir returns the first directory it created, so a refusal can remove exactly that.
  const createdDir = await mkdir(dirname(path), { recursive: true });
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    if (createdDir !== undefined) await rmdir(createdDir);
    if ((err as { code?: unknown }).code === 'EEXIST') {
      return {
        ok: false,
        message: `${shown} exists: hub ${request.name} is taken on ${request.cluster}; pick another name (nothing was written)`,
        problems: [],
      };
    }
    throw err;
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }

  const after = await loadFleet(request.configDir, { displayRoot: request.displayRoot });
  if (!after.ok) {
    await unlink(path);
    if (createdDir !== undefined) await rmdir(createdDir);
    return {
      ok: false,
      message: `the new hub would not validate; ${shown} was not written`,
      problems: after.problems,
    };
  }
  return { ok: true, file: shown, config };
}
