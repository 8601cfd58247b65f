// `hubfleet init <dir>`: writes a new fleet repository (src/fleet-repo/init.ts).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatProblem } from '../config/problems.js';
import { type Command, list, str } from './common.js';
import { requireDnsLabel } from './names.js';
import { chosenTool, toolOptions } from './tool-option.js';
import { UsageError } from './usage-error.js';

export const initCommand: Command = {
  summary: 'write a new fleet repository (one cluster, one staging hub, workflows pinned to this hubfleet)',
  usage: `hubfleet init <dir> --provider gcp|aws [--cluster NAME] [--from-bootstrap outputs.json]
              [--domain D] [--member group:team@example.org ...] [--github-org ORG ...]
              [--platform-team @org/team] [--maintainers @org/team]
              [--tool-ref OWNER/REPO@SHA#VERSION | --local-tool PATH]

Writes into <dir> (new, or empty but for .git): config/clusters/NAME/cluster.yaml and hubs/staging.yaml,
.github/workflows (pinned to this hubfleet release by commit sha), .github/CODEOWNERS,
.github/dependabot.yml, README.md and .hubfleet/owned.json (the files hubfleet owns and their
hashes, which hubfleet upgrade checks). --from-bootstrap takes \`terraform output -json\` of
terraform/bootstrap/<provider>; every field it does not give gets an example value, listed in the
output. The repository validates as written. Exit 2 when <dir> is not empty or is a fleet already.`,
  positionals: 1,
  options: {
    provider: { type: 'string' },
    cluster: { type: 'string' },
    'from-bootstrap': { type: 'string' },
    domain: { type: 'string' },
    member: { type: 'string', multiple: true, default: [] },
    'github-org': { type: 'string', multiple: true, default: [] },
    'platform-team': { type: 'string', default: '@your-org/platform-team' },
    maintainers: { type: 'string', default: '@your-org/fleet-maintainers' },
    ...toolOptions,
  },
  run: async (v, io) => {
    const [target] = list(v._);
    if (target === undefined) throw new UsageError('name the directory to write: hubfleet init <dir>');
    const provider = str(v.provider);
    if (provider !== 'gcp' && provider !== 'aws')
      throw new UsageError(`--provider must be gcp or aws${provider === '' ? '' : ` (got "${provider}")`}`);
    const cluster = requireDnsLabel('cluster', str(v.cluster) || `${provider === 'gcp' ? 'gke' : 'eks'}-1`);
    for (const team of ['platform-team', 'maintainers'] as const) {
      if (!/^@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/.test(str(v[team])))
        throw new UsageError(`--${team} must be a GitHub @user or @org/team, not "${str(v[team])}"`);
    }
    const tool = await chosenTool(v, io);
    const { clusterFieldsFromBootstrap, outputValues, settingsFromBootstrap } =
      await import('../fleet-repo/bootstrap-outputs.js');
    let fromBootstrap;
    let bootstrapSteps: string[] = [];
    const bootstrapFile = str(v['from-bootstrap']);
    if (bootstrapFile !== '') {
      const path = resolve(io.cwd, bootstrapFile);
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) throw new UsageError(`--from-bootstrap: cannot read ${bootstrapFile}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new UsageError(`--from-bootstrap: ${bootstrapFile} is not JSON (${(err as Error).message})`, {
          hint: 'pass what `terraform output -json` prints',
        });
      }
      const values = outputValues(parsed, bootstrapFile);
      fromBootstrap = clusterFieldsFromBootstrap(provider, values);
      bootstrapSteps = settingsFromBootstrap(values);
    }
    const { initFleet } = await import('../fleet-repo/init.js');
    const result = await initFleet({
      dir: resolve(io.cwd, target),
      displayRoot: io.cwd,
      provider,
      cluster,
      tool,
      fromBootstrap,
      hubDomain: str(v.domain) || undefined,
      members: list(v.member),
      githubOrgs: list(v['github-org']),
      platformTeam: str(v['platform-team']),
      maintainers: str(v.maintainers),
    });
    if (!result.ok) {
      if (result.kind === 'refused') throw new UsageError(result.message, { hint: result.hint });
      for (const p of result.problems) io.stderr(`${formatProblem(p)}\n`);
      io.stderr(`hubfleet init: ${result.message}\n`);
      return 1;
    }
    const lines = result.written.map((p) => `wrote ${target}/${p}`);
    const { describeTool } = await import('../fleet-repo/fleet-files.js');
    lines.push(`workflows pinned to ${describeTool(tool)}`);
    if (tool.kind === 'local') {
      // GitHub resolves `uses: ./path` in the job's workspace (docs/decisions/0075): the local form
      // runs only where the hubfleet checkout is that workspace.
      lines.push(
        "note: these workflows take ./actions/<name>, bin/hubfleet.js and terraform/<provider> from the job's workspace, so they run only where that checkout is the workspace (its tests, tool development); a fleet repository on GitHub uses a release (--tool-ref OWNER/REPO@SHA#VERSION)",
      );
    }
    if (result.exampleFields.length > 0) {
      lines.push(`next: replace the example values: ${result.exampleFields.join(', ')}`);
    }
    for (const step of bootstrapSteps) lines.push(`next: ${step}`);
    if (provider === 'gcp') {
      lines.push(
        'next: create the GitHub Actions secrets HUBFLEET_IAP_AUDIENCE (the IAP OAuth client ID), HUBFLEET_IAP_PROBER and HUBFLEET_IAP_UNAUTHORIZED (terraform/bootstrap outputs iap_prober_service_account and iap_unauthorized_service_account)',
      );
    }
    for (const secret of result.secrets) {
      lines.push(`next: create the GitHub Actions secret ${secret} (the staging hub's GitHub OAuth app)`);
    }
    lines.push(
      'next: set your teams in .github/CODEOWNERS, then `hubfleet validate` in the new repository, commit and push',
    );
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
