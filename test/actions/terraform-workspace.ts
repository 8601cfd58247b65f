// A checked-out repository for the plan-cluster and apply-iam bundle tests: the example fleet's
// config/ and the fixture Terraform modules as terraform/gcp and terraform/aws, plus a state
// directory outside the workspace (the local backend's path is set the way an operator would,
// with TF_CLI_ARGS_init, so the product passes nothing special).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { loadFleet, loadFleetFromSources } from '../../src/config/load.js';
import type { Fleet, LoadedCluster } from '../../src/config/model.js';
import { renderTfvars, type ClusterTfvars } from '../../src/render/tfvars.js';
import { repoRoot } from '../support/bundle-harness.js';
import { terraformTestEnv } from '../support/terraform-binary.js';

export type Files = Record<string, string>;

/** Every file under `dir` as workspace files under `prefix`. */
export function readTree(dir: string, prefix: string): Files {
  const files: Files = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[`${prefix}/${relative(dir, path).split(sep).join('/')}`] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** A checkout of the fleet repository at `fleetRoot` (this repository by default). */
export function checkout(fleetRoot: string = repoRoot): Files {
  return {
    ...readTree(join(fleetRoot, 'config'), 'config'),
    ...readTree(join(repoRoot, 'test/fixtures/terraform/gcp'), 'terraform/gcp'),
    ...readTree(join(repoRoot, 'test/fixtures/terraform/aws'), 'terraform/aws'),
  };
}

/** The fleet a checkout's config/clusters/ files load into; throws with the problems when it does not. */
export function fleetOf(files: Files): Fleet {
  const loaded = loadFleetFromSources(
    Object.entries(files)
      .filter(([path]) => path.startsWith('config/clusters/'))
      .map(([path, text]) => ({ path, text })),
  );
  if (!loaded.ok) throw new Error(`fleet does not load: ${JSON.stringify(loaded.problems)}`);
  return loaded.fleet;
}

/** A cluster of the fleet repository at `fleetRoot` (this repository's example fleet by default). */
export async function loadExampleCluster(name: string, fleetRoot: string = repoRoot): Promise<LoadedCluster> {
  const result = await loadFleet(join(fleetRoot, 'config'), { displayRoot: fleetRoot });
  if (!result.ok) throw new Error(`example fleet does not load: ${JSON.stringify(result.problems)}`);
  const cluster = result.fleet.clusters.find((c) => c.config.name === name);
  if (cluster === undefined) throw new Error(`no example cluster ${name}`);
  return cluster;
}

export interface Scratch {
  dir: string;
  /** Terraform environment for bundle runs: state for each cluster in `dir/state/<cluster>.tfstate`. */
  env(cluster: string): Record<string, string>;
  statePath(cluster: string): string;
  close(): Promise<void>;
}

export async function scratch(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'hubfleet-tf-e2e-'));
  const statePath = (cluster: string): string => join(dir, 'state', `${cluster}.tfstate`);
  return {
    dir,
    statePath,
    env: (cluster) => terraformTestEnv({ TF_CLI_ARGS_init: `-backend-config=path=${statePath(cluster)}` }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The resource addresses the fixture module plans for a cluster's variables, in address order. */
export function fixtureAddresses(tfvars: ClusterTfvars): string[] {
  const addresses: string[] = [];
  const buckets = (name: string, hub: { buckets: Record<string, unknown> }): string[] =>
    Object.keys(hub.buckets).map((key) => `terraform_data.bucket["${name}/${key}"]`);
  if ('project' in tfvars) {
    addresses.push('terraform_data.cluster');
    for (const [name, hub] of Object.entries(tfvars.hubs)) {
      addresses.push(
        ...buckets(name, hub),
        `terraform_data.dns_record["${name}"]`,
        `terraform_data.iap_access["${name}"]`,
        ...(hub.requester_pays ? [`terraform_data.requester_pays["${name}"]`] : []),
        `terraform_data.service_account["${name}"]`,
        `terraform_data.static_ip["${name}"]`,
        `terraform_data.workload_identity_user["${name}"]`,
      );
    }
  } else {
    for (const [name, hub] of Object.entries(tfvars.hubs)) {
      addresses.push(...buckets(name, hub), `terraform_data.irsa_role["${name}"]`);
      if (hub.extra_iam_policy !== null) addresses.push(`terraform_data.extra_policy["${name}"]`);
    }
  }
  return addresses.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export const tfvarsOf = renderTfvars;
