// `hubfleet new-hub`: writes the hub file that starts the pull request adding a hub, then says what
// else the hub needs (the GitHub secrets the file names).
import { resolve } from 'node:path';
import { formatProblem } from '../config/problems.js';
import { type Command, configOption, list, str } from './common.js';
import { requireDnsLabel } from './names.js';
import { UsageError } from './usage-error.js';

export const newHubCommand: Command = {
  summary: 'write a new hub file that validates (start of the PR that adds a hub)',
  usage: `hubfleet new-hub --cluster C --name N --domain D [--stage staging|prod] [--chart basehub|daskhub]
                 [--member group:team@example.org ...] [--github-org ORG ...] [--config DIR]

Writes config/clusters/C/hubs/N.yaml (C and N are DNS labels). GKE hubs sit behind IAP: name who
may use the hub with --member (user:, group:, serviceAccount: or domain:); they get Pod Security
level baseline. EKS hubs sign in with GitHub: name the allowed organisations with --github-org;
they get privileged (z2jh's metadata-blocking init container). Refuses to overwrite a file, and
refuses a hub name or domain already taken; nothing is written unless the whole fleet still
validates. The next: lines name every GitHub secret the new file refers to.`,
  options: {
    ...configOption,
    cluster: { type: 'string' },
    name: { type: 'string' },
    domain: { type: 'string' },
    stage: { type: 'string', default: 'staging' },
    chart: { type: 'string', default: 'basehub' },
    member: { type: 'string', multiple: true, default: [] },
    'github-org': { type: 'string', multiple: true, default: [] },
  },
  run: async (v, io) => {
    for (const required of ['cluster', 'name', 'domain'] as const) {
      if (str(v[required]) === '') throw new UsageError(`--${required} is required`);
    }
    // Both become path segments under --config: a DNS label cannot leave it.
    const cluster = requireDnsLabel('cluster', str(v.cluster));
    const name = requireDnsLabel('name', str(v.name));
    const { createHubFile, referencedSecrets } = await import('./new-hub-file.js');
    const created = await createHubFile({
      configDir: resolve(io.cwd, str(v.config)),
      displayRoot: io.cwd,
      cluster,
      name,
      domain: str(v.domain),
      stage: str(v.stage),
      chart: str(v.chart),
      members: list(v.member),
      githubOrgs: list(v['github-org']),
    });
    if (!created.ok) {
      for (const p of created.problems) io.stderr(`${formatProblem(p)}\n`);
      io.stderr(`${created.message}\n`);
      return 1;
    }
    const lines = [`wrote ${created.file}`];
    const callback = `https://${created.config.domain}/hub/oauth_callback`;
    for (const secret of referencedSecrets(created.config)) {
      lines.push(
        created.config.auth?.github.secret === secret
          ? `next: create the GitHub Actions secret ${secret}: {"client_id": "…", "client_secret": "…"} of a GitHub OAuth app whose callback URL is ${callback}`
          : `next: create the GitHub Actions secret ${secret}: {"client_id": "…", "client_secret": "…"} of the OAuth client IAP uses for this hub`,
      );
    }
    lines.push('next: review it, commit it on a branch and open a pull request');
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
