// The files of a fleet repository that come from hubfleet rather than from the fleet: the
// workflows (owned: `hubfleet upgrade` rewrites them) and the starting files init writes once
// (README, CODEOWNERS, dependabot.yml, the editors' schemas), which are the fleet's from then on.
import { schemaFiles } from '../config/schema-files.js';
import { fleetWorkflows } from '../../workflows/index.js';
import { renderWorkflow, WORKFLOWS_DIR } from '../../workflows/render.js';
import { forTool, LOCAL_TOOL, toolVersion, type ToolSource } from '../../workflows/tool-source.js';
import type { ReleaseTool } from './release.js';

/** A release (pinned by sha) or, for tests and tool development, a hubfleet checkout on disk. */
export type FleetTool = ReleaseTool | { kind: 'local'; path: string };

export function describeTool(tool: FleetTool): string {
  return tool.kind === 'local'
    ? `the local hubfleet at ${tool.path}`
    : `hubfleet v${tool.version} (${tool.repository}@${tool.sha})`;
}

function source(tool: FleetTool): ToolSource {
  return tool.kind === 'local' ? LOCAL_TOOL : tool;
}

function header(tool: FleetTool, workflowSource: string): string {
  const by = tool.kind === 'local' ? `the local hubfleet at ${tool.path}` : `hubfleet v${tool.version}`;
  const next = tool.kind === 'local' ? 'hubfleet upgrade --write' : 'npx hubfleet@<version> upgrade --write';
  return [
    ` GENERATED FILE — do not edit. Written by ${by} from its workflows/${workflowSource}.`,
    ` Move to another hubfleet with \`${next}\`; .hubfleet/owned.json holds this file's hash.`,
  ].join('\n');
}

/**
 * The files hubfleet owns in a fleet repository: path → content. `fleet`: the fleet's own settings
 * (config/fleet.yaml, e.g. the health check's cron), so that an upgrade keeps them.
 */
export function ownedFiles(tool: FleetTool, fleet: { healthSchedule?: string } = {}): Map<string, string> {
  const files = new Map<string, string>();
  const from = source(tool);
  for (const workflow of fleetWorkflows(fleet)) {
    const rendered = renderWorkflow(forTool(workflow, from), {
      header: header(tool, workflow.source),
      versionOf: (uses) => toolVersion(from, uses),
    });
    files.set(rendered.path, rendered.content);
  }
  return files;
}

export interface StarterOptions {
  tool: FleetTool;
  cluster: string;
  provider: 'gcp' | 'aws';
  platformTeam: string;
  maintainers: string;
}

function codeowners(o: StarterOptions): string {
  return `# Who must review what (the last matching pattern wins). Make "Require review from Code Owners"
# part of main's branch protection, and put your own teams here.

# Everything else, hub files included: the fleet's maintainers. Hub files are requests; their
# values follow hubfleet's allow-list, so a maintainer's review is enough.
*                                 ${o.maintainers}

# What runs with the applier identity and the cloud settings: the platform team.
/.github/                         ${o.platformTeam}
/.hubfleet/                       ${o.platformTeam}
/config/clusters/*/cluster.yaml   ${o.platformTeam}
/config/clusters/*/platform/      ${o.platformTeam}
/config/runners/                  ${o.platformTeam}
`;
}

function dependabot(tool: FleetTool): string {
  const pins =
    tool.kind === 'release'
      ? `  # hubfleet's actions are pinned by commit sha with a "# vX.Y.Z" comment; Dependabot proposes a
  # newer release in one PR. On its branch run \`npx hubfleet@<that version> upgrade --write\` and
  # commit: the workflows of the new release may differ by more than the pins.
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    groups:
      hubfleet:
        patterns: ['${tool.repository}*']
`
      : `  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
`;
  return `version: 2\nupdates:\n${pins}`;
}

function readme(o: StarterOptions): string {
  const cli = o.tool.kind === 'release' ? `npx hubfleet@${o.tool.version}` : 'hubfleet';
  const login =
    o.provider === 'gcp'
      ? 'behind Identity-Aware Proxy (IAP): `iap.members` names who may sign in'
      : 'with GitHub sign-in: `auth.github.allowedOrganizations` names who may sign in';
  return `# Our JupyterHub fleet

This repository holds our JupyterHubs as files, and GitHub Actions deploys them with
[hubfleet](https://github.com/${o.tool.kind === 'release' ? o.tool.repository : 'hubfleet/hubfleet'}).
Written by ${describeTool(o.tool)}.

## Ask for a hub

1. \`${cli} new-hub --cluster ${o.cluster} --name <hub> --domain <hub>.<your domain> --stage staging\`
   (hubs on ${o.cluster} sign in ${login}).
2. Open a pull request with the new file. The checks validate it, show what changes and plan the
   cloud side; a maintainer reviews it.
3. After the merge the deploy workflow creates the hub, waits for its certificate and tests it.
   A \`prod\` hub is deployed only after the cluster's staging hubs passed.

\`${cli} validate\` checks every file here as the pull request will; \`${cli} render --out out\`
shows what would be deployed.

## Layout

| path | what | who changes it |
|---|---|---|
| \`config/clusters/<cluster>/cluster.yaml\` | a cluster: cloud project, identities, runners, Terraform state | platform team |
| \`config/clusters/<cluster>/hubs/<hub>.yaml\` | a hub: domain, chart, who may sign in, values | anyone, by pull request |
| \`config/clusters/<cluster>/platform/<hub>.yaml\` | privileged chart values of a hub | platform team |
| \`.github/workflows/\` | the deploy chain, **written by hubfleet** | \`hubfleet upgrade\` only |
| \`.hubfleet/owned.json\` | which files hubfleet wrote, their hashes, and the hubfleet version | \`hubfleet upgrade\` only |

## Moving to a newer hubfleet

\`npx hubfleet@<version> upgrade\` shows the diff of every file hubfleet owns; \`--write\` writes it.
It never touches \`config/\`, and it refuses a workflow someone edited by hand (\`--force\` overwrites
it). Commit the result in a pull request: the checks run the new chain on it.
`;
}

/** The files init writes once; after that they are the fleet's own. */
export function starterFiles(o: StarterOptions): Map<string, string> {
  const files = new Map<string, string>();
  files.set('README.md', readme(o));
  files.set('.github/CODEOWNERS', codeowners(o));
  files.set('.github/dependabot.yml', dependabot(o.tool));
  files.set('.gitignore', '# hubfleet render --out out\nout/\nnode_modules/\n');
  for (const [name, text] of Object.entries<string>({ ...schemaFiles() }))
    files.set(`config/schema/${name}`, text);
  return files;
}

export { WORKFLOWS_DIR };
