// The CLI as a person meets it: help, versions, did-you-mean, exit 2 for every usage error, names
// that must be DNS labels, --base/--head checks, `affected --format text`, what new-hub says next.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli-runs.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

let work = '';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  return runInProcess(args, work, env);
}

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'ci',
      GIT_AUTHOR_EMAIL: 'ci@example.org',
      GIT_COMMITTER_NAME: 'ci',
      GIT_COMMITTER_EMAIL: 'ci@example.org',
    },
  }).trim();
}

/** Every file under the work directory, relative, sorted (the git directory left out). */
function tree(): string[] {
  return readdirSync(work, { recursive: true, encoding: 'utf8', withFileTypes: false })
    .filter((p) => !p.startsWith('.git'))
    .sort();
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-usage-'));
  cpSync('config', join(work, 'config'), { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

const COMMANDS_LIST = `commands:
  validate  check every cluster and hub file; print problems as file:line:col
  affected  what a change plans and deploys, as strategy.matrix JSON (or a summary: --format text)
  render    write tfvars, helm values and manifests for the fleet (or one cluster/hub)
  new-hub   write a new hub file that validates (start of the PR that adds a hub)
  diff      unified diff of the rendered fleet between two commits, per hub and file
  targets   check a cluster/hub name against the fleet; print the matrix rows a run works on
  doctor    check live that the cloud project, DNS and GitHub are ready for a run; print a checklist
  init      write a new fleet repository (one cluster, one staging hub, workflows pinned to this hubfleet)
  upgrade   move a fleet repository to another hubfleet: diff of the files hubfleet owns, --write to write
  audit     check the fleet against the security rules; text, JSON or SARIF for code scanning
  images    list every image the hubs pull as source → mirror pairs, for the mirroring job
`;

describe('help and version', () => {
  it('help lists every command and how to get help on one (exit 0)', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      '(hubfleet help <command>, or hubfleet <command> --help)\n       hubfleet --version\n',
    );
    expect(r.stdout).toContain(COMMANDS_LIST);
  });

  it.each(['validate', 'affected', 'render', 'new-hub', 'diff', 'targets', 'init', 'upgrade'])(
    'help %s prints exactly what %s --help prints (exit 0)',
    async (command) => {
      const help = await cli(['help', command]);
      const flag = await cli([command, '--help']);
      expect(help).toEqual(flag);
      expect(help.code).toBe(0);
      expect(help.stdout.startsWith(`hubfleet ${command} `)).toBe(true);
    },
  );

  it('--version prints the package version (exit 0)', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      expect(await cli([flag])).toEqual({ code: 0, stdout: `hubfleet ${version}\n`, stderr: '' });
    }
  });
});

describe('usage errors exit 2, with a did-you-mean for names', () => {
  it.each([
    [['valdate'], 'hubfleet: unknown command "valdate"; did you mean validate?'],
    [['help', 'afected'], 'hubfleet: unknown command "afected"; did you mean affected?'],
    [['deploy'], 'hubfleet: unknown command "deploy"'],
    [['toString'], 'hubfleet: unknown command "toString"'],
    [['help', 'constructor'], 'hubfleet: unknown command "constructor"'],
  ])('%j', async (args, first) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(first);
    expect(r.stderr).toContain(COMMANDS_LIST);
  });

  it('help takes one command', async () => {
    const r = await cli(['help', 'validate', 'render']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'hubfleet help: takes one command, not 2']);
  });

  it.each([
    [
      [
        'new-hub',
        '--cluster',
        'pangeo-gpc',
        '--name',
        'seaice',
        '--domain',
        'seaice.hubs.example.org',
        '--member',
        'group:a@example.org',
      ],
      'hubfleet new-hub: no cluster named "pangeo-gpc"; did you mean pangeo-gcp?\nnext: use one of: pangeo-aws, pangeo-gcp\n',
    ],
    [
      ['render', '--out', 'out', '--cluster', 'pangeo-gcp', '--hub', 'climat'],
      'hubfleet render: no hub named "climat" on cluster pangeo-gcp; did you mean climate?\nnext: use one of: climate, climate-staging, ocean, ocean-staging\n',
    ],
    [
      ['render', '--out', 'out', '--cluster', 'pangeo-awz'],
      'hubfleet render: no cluster named "pangeo-awz"; did you mean pangeo-aws?\nnext: use one of: pangeo-aws, pangeo-gcp\n',
    ],
    [
      ['targets', '--cluster', 'pangeo-aws', '--hub', 'glacer'],
      'hubfleet targets: no hub named "glacer" on cluster pangeo-aws; did you mean glacier?\nnext: use one of: glacier, glacier-staging\n',
    ],
  ])('an unknown name: %j, and nothing is written', async (args, stderr) => {
    const before = tree();
    expect(await cli(args)).toEqual({ code: 2, stdout: '', stderr });
    expect(tree()).toEqual(before);
  });

  const LABEL_RULE =
    'must be a DNS label (lowercase letters, digits and "-", starting with a letter and not ending with "-", at most 63 characters)';
  it.each([
    [
      [
        'new-hub',
        '--cluster',
        'pangeo-gcp',
        '--name',
        '../../escape',
        '--domain',
        'e.example.org',
        '--member',
        'group:a@example.org',
      ],
      `--name ${LABEL_RULE}, not "../../escape"`,
    ],
    [
      [
        'new-hub',
        '--cluster',
        'pangeo-gcp',
        '--name',
        'Seaice',
        '--domain',
        'e.example.org',
        '--member',
        'group:a@example.org',
      ],
      `--name ${LABEL_RULE}, not "Seaice"`,
    ],
    [
      [
        'new-hub',
        '--cluster',
        '../pangeo-gcp',
        '--name',
        'seaice',
        '--domain',
        'e.example.org',
        '--member',
        'group:a@example.org',
      ],
      `--cluster ${LABEL_RULE}, not "../pangeo-gcp"`,
    ],
    [
      [
        'new-hub',
        '--cluster',
        '/tmp',
        '--name',
        'seaice',
        '--domain',
        'e.example.org',
        '--member',
        'group:a@example.org',
      ],
      `--cluster ${LABEL_RULE}, not "/tmp"`,
    ],
    [
      ['render', '--out', 'out', '--cluster', 'pangeo-gcp', '--hub', '../../../x'],
      `--hub ${LABEL_RULE}, not "../../../x"`,
    ],
    [['render', '--out', 'out', '--cluster', 'a.b'], `--cluster ${LABEL_RULE}, not "a.b"`],
    [['targets', '--cluster', 'pangeo-gcp', '--hub', 'x/y'], `--hub ${LABEL_RULE}, not "x/y"`],
  ])('a name that is not a DNS label: %j, and nothing is written', async (args, message) => {
    const before = tree();
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`hubfleet ${args[0] ?? ''}: ${message}`);
    expect(tree()).toEqual(before);
  });
});

describe('--base and --head', () => {
  let main1 = '';
  beforeEach(() => {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'fleet');
    main1 = git('rev-parse', 'HEAD');
    git('checkout', '-qb', 'pr');
    const ocean = join(work, 'config/clusters/pangeo-gcp/hubs/ocean.yaml');
    writeFileSync(ocean, readFileSync(ocean, 'utf8').replace('limit: 8G', 'limit: 9G'));
    git('commit', '-qam', 'more memory for ocean');
  });

  it.each([
    ['affected', '--base=-x'],
    ['affected', '--base', 'main', '--head=--output=/tmp/hubfleet-owned'],
    ['diff', '--base=--output=/tmp/hubfleet-owned'],
    ['diff', '--base', 'main', '--head=-p'],
  ])('a revision starting with "-" is a usage error (2) before git runs: %j', async (...args) => {
    const r = await cli(args);
    const given = args.find((a) => /^--(base|head)=/.test(a)) ?? '';
    const flag = given.slice(2, 6);
    const value = given.slice(7);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `hubfleet ${args[0] ?? ''}: --${flag} must name a commit, not ${JSON.stringify(value)}: a revision starting with "-" would read as an option`,
    );
    expect(existsSync('/tmp/hubfleet-owned')).toBe(false);
  });

  it.each(['affected', 'diff'])(
    '%s: a base that is not an ancestor of head is refused (2), saying so',
    async (command) => {
      git('checkout', '-q', 'main');
      git('checkout', '-qb', 'elsewhere');
      writeFileSync(join(work, 'note.md'), 'elsewhere\n');
      git('add', 'note.md');
      git('commit', '-qm', 'a commit the pr branch does not have');
      const elsewhere = git('rev-parse', 'HEAD');
      const head = git('rev-parse', 'pr');
      git('checkout', '-q', 'pr');
      expect(await cli([command, '--base', 'elsewhere'])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          `hubfleet ${command}: --base elsewhere (${elsewhere.slice(0, 12)}) is not an ancestor of --head HEAD (${head.slice(0, 12)})\n` +
          'next: pass the commit the head was built on (a pull request: its base commit, with the merge commit as head; a deploy: the last deployed commit of the same branch)\n',
      });
      // The same base is fine once head contains it.
      expect((await cli([command, '--base', main1])).code).toBe(0);
    },
  );

  it('a head the clone lacks is refused (2) with how to fetch it', async () => {
    expect(await cli(['diff', '--base', 'main', '--head', 'origin/gone'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet diff: --head origin/gone is not a commit in this clone\nnext: fetch it first (CI: actions/checkout with fetch-depth: 0 so the base commit is present)\n',
    });
  });

  it('affected --format text: plan, deploys, removals and reasons, one line each', async () => {
    git('rm', '-q', 'config/clusters/pangeo-aws/hubs/glacier-staging.yaml');
    git('commit', '-qm', 'remove glacier-staging');
    const labelled = await cli([
      'affected',
      '--base',
      'main',
      '--format',
      'text',
      '--labels',
      'hubfleet:remove-hub',
    ]);
    expect(labelled.code).toBe(0);
    expect(labelled.stdout).toBe(
      [
        'plan:           pangeo-aws, pangeo-gcp',
        'deploy staging: pangeo-gcp (climate-staging, ocean-staging)',
        'deploy prod:    pangeo-gcp (ocean)',
        'remove:         pangeo-aws (glacier-staging)',
        'why:',
        '  config/clusters/pangeo-aws/hubs/glacier-staging.yaml: plan pangeo-aws (shows removal); uninstall glacier-staging (hubfleet:remove-hub)',
        '  config/clusters/pangeo-gcp/hubs/ocean.yaml: plan pangeo-gcp; deploy ocean',
        '',
      ].join('\n'),
    );
    const unlabelled = await cli(['affected', '--base', 'main', '--format', 'text']);
    expect(unlabelled.stdout.split('\n').slice(3, 5)).toEqual([
      'remove:         none',
      'kept installed: pangeo-aws (glacier-staging): file deleted without the hubfleet:remove-hub label',
    ]);
  });

  it('affected --format text says when nothing changed; a bad --format is a usage error (2)', async () => {
    const same = await cli(['affected', '--base', 'HEAD', '--format', 'text']);
    expect(same.stdout).toBe(
      'plan:           none\ndeploy staging: none\ndeploy prod:    none\nremove:         none\nwhy: no file changed\n',
    );
    const bad = await cli(['affected', '--base', 'main', '--format', 'yaml']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'hubfleet affected: --format must be json or text, not "yaml"',
    ]);
  });
});

describe('new-hub: Pod Security per provider, and every secret named on next: lines', () => {
  it('writes baseline on GKE, where hubfleet renders blockWithIptables: false, and needs no secret', async () => {
    const r = await cli([
      'new-hub',
      '--cluster',
      'pangeo-gcp',
      '--name',
      'seaice',
      '--domain',
      'seaice.hubs.example.org',
      '--member',
      'group:seaice@example.org',
    ]);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'wrote config/clusters/pangeo-gcp/hubs/seaice.yaml\nnext: review it, commit it on a branch and open a pull request\n',
    });
    expect(readFileSync(join(work, 'config/clusters/pangeo-gcp/hubs/seaice.yaml'), 'utf8')).toContain(
      '\npodSecurity: baseline\n',
    );
    expect((await cli(['validate'])).code).toBe(0);
  });

  it('writes privileged on EKS (z2jh blocks the metadata server there) and names the OAuth secret', async () => {
    const r = await cli([
      'new-hub',
      '--cluster',
      'pangeo-aws',
      '--name',
      'icesheet',
      '--domain',
      'icesheet.aws.example.org',
      '--github-org',
      'glacier-lab',
    ]);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'wrote config/clusters/pangeo-aws/hubs/icesheet.yaml',
        'next: create the GitHub Actions secret GITHUB_OAUTH_ICESHEET: {"client_id": "…", "client_secret": "…"} of a GitHub OAuth app whose callback URL is https://icesheet.aws.example.org/hub/oauth_callback',
        'next: review it, commit it on a branch and open a pull request',
        '',
      ].join('\n'),
    });
    expect(readFileSync(join(work, 'config/clusters/pangeo-aws/hubs/icesheet.yaml'), 'utf8')).toContain(
      '\npodSecurity: privileged\n',
    );
  });
});

describe('a hub whose file name and name: differ only in case', () => {
  it('is told to rename the file', async () => {
    const dir = join(work, 'config/clusters/pangeo-gcp/hubs');
    const text = readFileSync(join(dir, 'ocean.yaml'), 'utf8');
    rmSync(join(dir, 'ocean.yaml'));
    writeFileSync(join(dir, 'Ocean.yaml'), text);
    const r = await cli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'must equal the file name "Ocean" (got "ocean"): they differ only in case; rename the file to ocean.yaml (git mv Ocean.yaml ocean.yaml)',
    );
  });
});
