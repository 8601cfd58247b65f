// `hubfleet init`: a new fleet repository that validates as written: one cluster, one staging hub,
// the workflows pinned to one hubfleet, and .hubfleet/owned.json saying which files hubfleet owns.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { loadFleet } from '../config/load.js';
import type { ConfigProblem } from '../config/model.js';
import { createHubFile } from '../cli/new-hub-file.js';
import type { ClusterFields, Provider } from './bootstrap-outputs.js';
import { type FleetTool, ownedFiles, starterFiles } from './fleet-files.js';
import { contentHash, manifestText, OWNED_PATH } from './owned.js';

export interface InitRequest {
  dir: string;
  /** Paths in messages are shown relative to this directory. */
  displayRoot: string;
  provider: Provider;
  cluster: string;
  tool: FleetTool;
  /** From --from-bootstrap; fields it leaves out get example values. */
  fromBootstrap: ClusterFields | undefined;
  hubDomain: string | undefined;
  members: string[];
  githubOrgs: string[];
  platformTeam: string;
  maintainers: string;
}

export type InitResult =
  | { ok: true; written: string[]; exampleFields: string[]; secrets: string[] }
  | { ok: false; kind: 'refused'; message: string; hint: string }
  | { ok: false; kind: 'invalid'; message: string; problems: ConfigProblem[] };

/** Example values: they validate, so the repository is green at once, and each is named in the output. */
const EXAMPLES = {
  gcp: {
    project: 'my-fleet-project',
    projectNumber: '123456789012',
    region: 'us-central1',
    network: 'hubfleet',
    dnsZone: 'hubs',
    workloadIdentityProvider:
      'projects/123456789012/locations/global/workloadIdentityPools/github/providers/github',
    deployerServiceAccount: 'hubfleet-deployer@my-fleet-project.iam.gserviceaccount.com',
  },
  aws: {
    account: '111122223333',
    region: 'us-west-2',
    roleArn: 'arn:aws:iam::111122223333:role/hubfleet-deployer',
    hostedZoneId: 'Z0123456789EXAMPLE',
  },
  dnsDomain: 'hubs.example.org',
  bucket: 'my-fleet-tfstate',
  member: 'group:hub-users@example.org',
  githubOrg: 'example-org',
} as const;

/** A new directory, or one holding nothing but `.git` (a fresh `git init` or clone of an empty repository). */
async function refusal(dir: string, shown: string): Promise<InitResult | undefined> {
  if (!existsSync(dir)) return undefined;
  if (existsSync(join(dir, OWNED_PATH))) {
    return {
      ok: false,
      kind: 'refused',
      message: `${shown} is a hubfleet fleet repository already (${OWNED_PATH}); init writes a new one`,
      hint: `move it to another hubfleet with \`hubfleet upgrade ${shown}\``,
    };
  }
  const entries = (await readdir(dir)).filter((e) => e !== '.git').sort();
  if (entries.length === 0) return undefined;
  const listed =
    entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
  return {
    ok: false,
    kind: 'refused',
    message: `${shown} is not empty (${listed}); init writes a fleet repository only into a new or empty directory`,
    hint: 'pick a new directory, or empty this one (a .git directory may stay)',
  };
}

function clusterDocument(request: InitRequest): { yaml: string; examples: string[] } {
  const examples: string[] = [];
  const boot = request.fromBootstrap ?? {};
  const provider = request.provider;
  const given = (provider === 'gcp' ? boot.gcp : boot.aws) ?? {};
  const cloud: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(EXAMPLES[provider])) {
    if (given[field] !== undefined) cloud[field] = given[field];
    else {
      cloud[field] = value;
      examples.push(`${provider}.${field}`);
    }
    // The cluster's own name (GKE/EKS) is the fleet's name for it unless the user renames it later.
    if (field === 'region') cloud.clusterName = request.cluster;
  }
  // Private control plane, reached by the in-VPC runners (design: in-VPC runners are the default).
  if (provider === 'gcp') cloud.privateEndpoint = true;
  for (const [field, value] of Object.entries(given)) if (cloud[field] === undefined) cloud[field] = value;
  const dnsDomain = boot.dnsDomain ?? EXAMPLES.dnsDomain;
  if (boot.dnsDomain === undefined) examples.push('dnsDomain');
  const bucket = boot.backendBucket ?? EXAMPLES.bucket;
  if (boot.backendBucket === undefined) examples.push('terraform.backend.bucket');
  const cluster = {
    name: request.cluster,
    provider,
    [provider]: cloud,
    dnsDomain,
    // The in-VPC runner scale set of this cluster (config/runners, README "Runners").
    runner: { labels: ['self-hosted', request.cluster] },
    terraform: { backend: { bucket, prefix: `clusters/${request.cluster}` } },
  };
  const note =
    examples.length === 0
      ? ''
      : `# Example values to replace (or run hubfleet init --from-bootstrap): ${examples.join(', ')}\n`;
  const yaml = `# yaml-language-server: $schema=../../schema/cluster.schema.json\n${note}${stringify(cluster, { lineWidth: 0 })}`;
  return { yaml, examples };
}

export async function initFleet(request: InitRequest): Promise<InitResult> {
  const shown = relative(request.displayRoot, request.dir) || '.';
  const refused = await refusal(request.dir, shown);
  if (refused !== undefined) return refused;
  const created = !existsSync(request.dir);
  const written: string[] = [];
  const write = async (path: string, text: string): Promise<void> => {
    await mkdir(dirname(join(request.dir, path)), { recursive: true });
    await writeFile(join(request.dir, path), text, { flag: 'wx' });
    written.push(path);
  };
  try {
    const { yaml, examples } = clusterDocument(request);
    const configDir = join(request.dir, 'config');
    await write(`config/clusters/${request.cluster}/cluster.yaml`, yaml);
    const dnsDomain = request.fromBootstrap?.dnsDomain ?? EXAMPLES.dnsDomain;
    const domainGiven = request.hubDomain !== undefined;
    const hub = await createHubFile({
      configDir,
      displayRoot: request.displayRoot,
      cluster: request.cluster,
      name: 'staging',
      domain: request.hubDomain ?? `staging.${dnsDomain}`,
      stage: 'staging',
      chart: 'basehub',
      members:
        request.provider === 'gcp' && request.members.length === 0 ? [EXAMPLES.member] : request.members,
      githubOrgs:
        request.provider === 'aws' && request.githubOrgs.length === 0
          ? [EXAMPLES.githubOrg]
          : request.githubOrgs,
    });
    if (!hub.ok) {
      await undo(request.dir, written, created);
      return { ok: false, kind: 'invalid', message: hub.message, problems: hub.problems };
    }
    written.push(`config/clusters/${request.cluster}/hubs/staging.yaml`);
    if (!domainGiven && request.fromBootstrap?.dnsDomain === undefined)
      examples.push('hubs/staging.yaml domain');
    if (request.provider === 'gcp' && request.members.length === 0)
      examples.push('hubs/staging.yaml iap.members');
    if (request.provider === 'aws' && request.githubOrgs.length === 0)
      examples.push('hubs/staging.yaml auth.github.allowedOrganizations');

    const starters = starterFiles({
      tool: request.tool,
      cluster: request.cluster,
      provider: request.provider,
      platformTeam: request.platformTeam,
      maintainers: request.maintainers,
    });
    for (const [path, text] of starters) await write(path, text);
    const owned = ownedFiles(request.tool);
    const hashes: Record<string, string> = {};
    for (const [path, text] of owned) {
      await write(path, text);
      hashes[path] = contentHash(text);
    }
    await write(OWNED_PATH, manifestText({ tool: request.tool, files: hashes }));

    // The promise of init: the repository validates as written.
    const check = await loadFleet(configDir, { displayRoot: request.displayRoot });
    if (!check.ok) {
      await undo(request.dir, written, created);
      return {
        ok: false,
        kind: 'invalid',
        message: 'the new fleet would not validate; nothing was written',
        problems: check.problems,
      };
    }
    const secrets = hub.config.auth?.github.secret === undefined ? [] : [hub.config.auth.github.secret];
    return { ok: true, written: written.sort(), exampleFields: examples, secrets };
  } catch (err) {
    await undo(request.dir, written, created);
    throw err;
  }
}

/** Removes what init wrote (the directory too when init made it). */
async function undo(dir: string, written: readonly string[], created: boolean): Promise<void> {
  if (created) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  for (const path of written) await rm(join(dir, path), { force: true });
  for (const top of new Set(written.map((p) => p.split('/')[0] ?? ''))) {
    if (top !== '' && !written.includes(top)) await rm(join(dir, top), { recursive: true, force: true });
  }
}
