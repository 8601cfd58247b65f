// Issue 16's attacks on a hub file, through the real CLI (`node bin/hubfleet.js`, which runs the
// compiled lib/ that `npm ci` builds): each one is refused by `validate` on its line, and a literal
// secret appears in no output of `validate`, `render` or `diff --format markdown`, and in no file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'bin', 'hubfleet.js');
let work = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hubfleet(...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const git = (...args: string[]): string => execFileSync('git', args, { cwd: work, encoding: 'utf8' });

const GKE_HUB = `name: hostile
stage: staging
domain: hostile.hubs.example.org
chart: {name: basehub, version: 4.4.0}
iap: {members: [group:hostile@example.org], oauthClient: google-managed}
values:
`;

const EKS_HUB = `name: hostile
stage: staging
domain: hostile.aws.hubs.example.org
chart: {name: basehub, version: 4.4.0}
auth: {github: {allowedOrganizations: [pangeo-data], secret: GITHUB_OAUTH_HOSTILE}}
values:
`;

const hubFile = (provider: 'gcp' | 'aws'): string => `config/clusters/pangeo-${provider}/hubs/hostile.yaml`;

function writeHub(provider: 'gcp' | 'aws', values: string): void {
  for (const p of ['gcp', 'aws'] as const) rmSync(join(work, hubFile(p)), { force: true });
  writeFileSync(join(work, hubFile(provider)), (provider === 'gcp' ? GKE_HUB : EKS_HUB) + values);
}

/** `file:line:col: field` of every problem `validate` printed. */
function refusedFields(r: Run): string[] {
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('config/'))
    .map((l) => l.split(': ').slice(0, 2).join(': '));
}

beforeAll(() => {
  if (!existsSync(join(process.cwd(), 'lib', 'src', 'cli.js')))
    throw new Error('lib/ is missing: run npm run build:lib (npm ci does it)');
  work = mkdtempSync(join(tmpdir(), 'hubfleet-hostile-'));
  cpSync('config', join(work, 'config'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.org');
  git('config', 'user.name', 'ci');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const F = hubFile('gcp');
const E = hubFile('aws');

describe('issue 16: every attack on sign-in, identity and namespace is refused by validate', () => {
  it.each<[string, 'gcp' | 'aws', string, string[]]>([
    [
      "GKE extraConfig under hubfleet's own snippet key, redefining the authenticator",
      'gcp',
      '  hub:\n    extraConfig:\n      hubfleet-iap-authenticator: |\n        class HubfleetIAPAuthenticator: pass\n',
      [`${F}:9:7: values.hub.extraConfig.hubfleet-iap-authenticator`],
    ],
    [
      'hub.config.HubfleetIAPAuthenticator overriding keys_url, the audience and the leeway',
      'gcp',
      '  hub:\n    config:\n      HubfleetIAPAuthenticator:\n        keys_url: https://keys.example.org\n        audience: any\n        leeway: 86400\n',
      [
        `${F}:10:9: values.hub.config.HubfleetIAPAuthenticator.keys_url`,
        `${F}:11:9: values.hub.config.HubfleetIAPAuthenticator.audience`,
        `${F}:12:9: values.hub.config.HubfleetIAPAuthenticator.leeway`,
      ],
    ],
    [
      'extraConfig.zz choosing the dummy authenticator',
      'gcp',
      '  hub:\n    extraConfig:\n      zz: c.JupyterHub.authenticator_class = "dummy"\n',
      [`${F}:9:7: values.hub.extraConfig.zz`],
    ],
    [
      'EKS GitHubOAuthenticator allow_all, allowed_organizations and oauth_callback_url',
      'aws',
      '  hub:\n    config:\n      GitHubOAuthenticator:\n        allow_all: true\n        allowed_organizations: [evil-org]\n        oauth_callback_url: https://evil.example.org/cb\n',
      [
        `${E}:10:9: values.hub.config.GitHubOAuthenticator.allow_all`,
        `${E}:11:9: values.hub.config.GitHubOAuthenticator.allowed_organizations`,
        `${E}:12:9: values.hub.config.GitHubOAuthenticator.oauth_callback_url`,
      ],
    ],
    [
      'EKS Authenticator.admin_users',
      'aws',
      '  hub:\n    config:\n      Authenticator:\n        admin_users: [mallory]\n',
      [`${E}:10:9: values.hub.config.Authenticator.admin_users`],
    ],
    [
      "KubeSpawner.service_account and .namespace (another hub's namespace)",
      'gcp',
      '  hub:\n    config:\n      KubeSpawner:\n        service_account: default\n        namespace: ocean\n',
      [
        `${F}:10:9: values.hub.config.KubeSpawner.service_account`,
        `${F}:11:9: values.hub.config.KubeSpawner.namespace`,
      ],
    ],
    [
      'singleuser.extraPodConfig hostNetwork and serviceAccountName',
      'gcp',
      '  singleuser:\n    extraPodConfig:\n      hostNetwork: true\n      serviceAccountName: default\n',
      [
        `${F}:9:7: values.singleuser.extraPodConfig.hostNetwork`,
        `${F}:10:7: values.singleuser.extraPodConfig.serviceAccountName`,
      ],
    ],
    [
      'hub.extraFiles mounted over jupyterhub_config.py',
      'gcp',
      '  hub:\n    extraFiles:\n      config:\n        mountPath: /usr/local/etc/jupyterhub/jupyterhub_config.py\n        stringData: "c.JupyterHub.authenticator_class = \'dummy\'"\n',
      [`${F}:9:7: values.hub.extraFiles.config`],
    ],
    [
      'a profile switching the service account and namespace through kubespawner_override',
      'gcp',
      '  singleuser:\n    profileList:\n      - display_name: big\n        kubespawner_override:\n          mem_limit: 8G\n          service_account: default\n          namespace: ocean\n',
      [
        `${F}:12:11: values.singleuser.profileList[0].kubespawner_override.service_account`,
        `${F}:13:11: values.singleuser.profileList[0].kubespawner_override.namespace`,
      ],
    ],
    [
      "user pods handed z2jh's hub Secret and a hostPath volume",
      'gcp',
      '  singleuser:\n    extraEnv:\n      TOKEN_FROM:\n        valueFrom: {secretKeyRef: {name: hub, key: hub.services.dask-gateway.apiToken}}\n    storage:\n      extraVolumes:\n        - name: node\n          hostPath: {path: /}\n',
      [
        `${F}:10:36: values.singleuser.extraEnv.TOKEN_FROM.valueFrom.secretKeyRef.name`,
        `${F}:14:11: values.singleuser.storage.extraVolumes[0].hostPath`,
      ],
    ],
  ])('%s', (_name, provider, values, fields) => {
    writeHub(provider, values);
    const r = hubfleet('validate', '--config', 'config');
    expect(r.code).toBe(1);
    expect(refusedFields(r)).toEqual(fields);
    for (const line of r.stderr.split('\n').filter((l) => l.startsWith('config/')))
      expect(line).toMatch(
        /is privileged: .*(If the platform team agrees it is needed, it goes in config\/clusters\/pangeo-(gcp|aws)\/platform\/hostile\.yaml|It is hubfleet's alone: the platform file may not set it either)/,
      );
  });

  it('accepts what a hub file may set freely', () => {
    writeHub(
      'gcp',
      [
        '  singleuser:',
        '    image: {name: pangeo/pangeo-notebook, tag: "2026.03.01"}',
        '    memory: {limit: 8G, guarantee: 4G}',
        '    extraEnv:',
        '      MY_TOKEN: {valueFrom: {secretKeyRef: {name: my-own-secret, key: token}}}',
        '    profileList:',
        '      - {display_name: small, default: true, kubespawner_override: {cpu_limit: 1}}',
        '    storage: {capacity: 20Gi}',
        '  cull: {timeout: 7200}',
        '',
      ].join('\n'),
    );
    const r = hubfleet('validate', '--config', 'config');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

/** A secret per shape and per key; each `value` is the text that must never be printed or written. */
const SECRETS: Array<{ name: string; yaml: string; shown: string[] }> = [
  {
    name: 'a number under hub.cookieSecret',
    yaml: '  hub:\n    cookieSecret: 1.2345678901234568e+29\n',
    shown: ['1.2345678901234568e+29', '123456789012345680000'],
  },
  {
    name: 'proxy.secretToken in hex',
    yaml: '  proxy:\n    secretToken: 0xCAFEF00DD00D\n',
    shown: ['0xCAFEF00DD00D', String(0xcafef00dd00d)],
  },
  {
    name: 'a GitHub PAT in extraEnv',
    yaml: '  singleuser:\n    extraEnv:\n      GH_PAT: ghp_Zq8s1bCanaryPat0000000000000000000000\n',
    shown: ['ghp_Zq8s1bCanaryPat0000000000000000000000'],
  },
  {
    name: 'a GitHub token under an innocent name',
    yaml: '  singleuser:\n    extraEnv:\n      NOTES: github_pat_11CANARY0000000000000000_abcdefghijklmnop\n',
    shown: ['github_pat_11CANARY0000000000000000_abcdefghijklmnop'],
  },
  {
    name: 'a URL with a password',
    yaml: '  singleuser:\n    extraEnv:\n      DATABASE_URL: postgres://hub:canary-pass-77@db.example.org/hub\n',
    shown: ['canary-pass-77'],
  },
  {
    name: 'JSON with a private_key',
    yaml: `  singleuser:\n    extraEnv:\n      GCP_JSON: '{"type": "service_account", "private_key": "canary-private-key-1"}'\n`,
    shown: ['canary-private-key-1'],
  },
  {
    name: 'a Google API key',
    yaml: '  singleuser:\n    extraEnv:\n      MAPS: AIzaSyCanaryKey000000000000000000000000\n',
    shown: ['AIzaSyCanaryKey000000000000000000000000'],
  },
  {
    name: 'an AWS access key',
    yaml: '  singleuser:\n    extraEnv:\n      AWS_ID: AKIACANARY0000000000\n',
    shown: ['AKIACANARY0000000000'],
  },
  {
    name: 'a Slack token',
    yaml: '  singleuser:\n    extraEnv:\n      SLACK: xoxb-000000-canary-slack-token\n',
    shown: ['xoxb-000000-canary-slack-token'],
  },
  {
    name: 'a PEM private key',
    yaml: '  singleuser:\n    extraFiles:\n      key:\n        mountPath: /home/jovyan/key.pem\n        stringData: |\n          -----BEGIN PRIVATE KEY-----\n          canaryPemBody000\n          -----END PRIVATE KEY-----\n',
    shown: ['canaryPemBody000'],
  },
  {
    name: 'client_secret inside extraConfig Python',
    yaml: '  hub:\n    extraConfig:\n      10-oauth: |\n        c.MyService.client_secret = "canary-client-secret-9"\n',
    shown: ['canary-client-secret-9'],
  },
];

describe('a key named after an Object.prototype member is a key like any other', () => {
  it('is refused where the allow-list does not name it (it used to pass every check)', () => {
    writeHub(
      'gcp',
      '  hub:\n    constructor: {evil: true}\n    toString: 1\n  singleuser:\n    hasOwnProperty: x\n    valueOf: {a: 1}\n  constructor: 1\n',
    );
    const r = hubfleet('validate', '--config', 'config');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('config/'))).toEqual([
      `${F}:8:5: values.hub.constructor: is not on the basehub allow-list for hub files. If the platform team agrees it is needed, it goes in config/clusters/pangeo-gcp/platform/hostile.yaml (CODEOWNERS gives that file to them)`,
      `${F}:9:5: values.hub.toString: is not on the basehub allow-list for hub files. If the platform team agrees it is needed, it goes in config/clusters/pangeo-gcp/platform/hostile.yaml (CODEOWNERS gives that file to them)`,
      `${F}:11:5: values.singleuser.hasOwnProperty: is not on the basehub allow-list for hub files. If the platform team agrees it is needed, it goes in config/clusters/pangeo-gcp/platform/hostile.yaml (CODEOWNERS gives that file to them)`,
      `${F}:12:5: values.singleuser.valueOf: is not on the basehub allow-list for hub files. If the platform team agrees it is needed, it goes in config/clusters/pangeo-gcp/platform/hostile.yaml (CODEOWNERS gives that file to them)`,
      `${F}:13:3: values.constructor: is not a value of the z2jh chart 4.4.0 (the chart's values.schema.json refuses unknown top-level keys)`,
    ]);
  });

  it('a bucket named "constructor" gets no environment variable (it rendered one named after Object\'s source)', () => {
    writeFileSync(
      join(work, hubFile('gcp')),
      GKE_HUB.replace('values:\n', 'buckets:\n  constructor: {}\n  scratch: {}\nvalues: {}\n'),
    );
    expect(hubfleet('validate', '--config', 'config').code).toBe(0);
    const r = hubfleet(
      'render',
      '--out',
      'out-constructor',
      '--config',
      'config',
      '--cluster',
      'pangeo-gcp',
      '--hub',
      'hostile',
    );
    expect(r.code).toBe(0);
    const values = readFileSync(
      join(work, 'out-constructor', 'pangeo-gcp', 'hubs', 'hostile', 'values.yaml'),
      'utf8',
    );
    const extraEnv = values.slice(values.indexOf('  extraEnv:', values.indexOf('singleuser:')));
    expect(extraEnv.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(
        /^ {4}SCRATCH_BUCKET: gs:\/\/hubfleet-pangeo-gcp-hostile-scratch-[0-9a-f]{8}\/\$\(JUPYTERHUB_USER\)$/,
      ),
      expect.not.stringContaining('function'),
    ]);
    expect(values).not.toContain('function Object');
    rmSync(join(work, hubFile('gcp')));
  });
});

describe('issue 16: a literal secret is refused and printed nowhere', () => {
  it.each(SECRETS.map((s) => [s.name, s] as const))('%s', (_name, secret) => {
    git('checkout', '-q', 'main');
    git('checkout', '-qB', 'pr');
    writeHub('gcp', secret.yaml);
    git('add', '-A');
    git('commit', '-qm', secret.name);
    const out = join(work, 'out');
    rmSync(out, { recursive: true, force: true });
    const runs = [
      hubfleet('validate', '--config', 'config'),
      hubfleet('render', '--config', 'config', '--out', 'out'),
      hubfleet('diff', '--config', 'config', '--base', 'main', '--head', 'pr', '--format', 'markdown'),
    ];
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${F}:`);
      expect(r.stderr).toContain('put it in a GitHub secret and reference it');
      for (const shown of secret.shown) {
        expect(r.stdout).not.toContain(shown);
        expect(r.stderr).not.toContain(shown);
      }
    }
    expect(existsSync(out) ? readdirSync(out, { recursive: true }) : []).toEqual([]);
    git('checkout', '-q', 'main');
  });

  it('a secret in the platform file is refused the same way, and a clean one shows under its own heading', () => {
    git('checkout', '-q', 'main');
    git('checkout', '-qB', 'pr');
    for (const p of ['gcp', 'aws'] as const) rmSync(join(work, hubFile(p)), { force: true });
    const platform = join(work, 'config/clusters/pangeo-gcp/platform');
    mkdirSync(platform, { recursive: true });
    writeFileSync(
      join(platform, 'ocean.yaml'),
      'values:\n  jupyterhub:\n    hub:\n      extraConfig:\n        20-db: |\n          c.MyDb.password = "canary-platform-pass"\n',
    );
    git('add', '-A');
    git('commit', '-qm', 'platform secret');
    const bad = hubfleet(
      'diff',
      '--config',
      'config',
      '--base',
      'main',
      '--head',
      'pr',
      '--format',
      'markdown',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'config/clusters/pangeo-gcp/platform/ocean.yaml:5:16: values.jupyterhub.hub.extraConfig["20-db"]: holds a secret assigned in code',
    );
    expect(bad.stdout + bad.stderr).not.toContain('canary-platform-pass');

    writeFileSync(
      join(platform, 'ocean.yaml'),
      'values:\n  jupyterhub:\n    hub:\n      extraConfig:\n        20-timeout: |\n          c.KubeSpawner.http_timeout = 90\n',
    );
    git('commit', '-qam', 'platform snippet');
    const good = hubfleet(
      'diff',
      '--config',
      'config',
      '--base',
      'main',
      '--head',
      'pr',
      '--format',
      'markdown',
    );
    // A platform file scopes the diff to its own hub (and its cluster's tfvars), as a hub file does.
    expect(good.stderr).toBe(
      'hubfleet diff: rendered 1 of 2 clusters and 1 of 6 hubs at base and head: pangeo-gcp, pangeo-gcp/ocean\n',
    );
    expect(good.code).toBe(0);
    const heading = good.stdout.indexOf('### Platform values (privileged;');
    expect(heading).toBeGreaterThan(0);
    expect(good.stdout.slice(heading)).toContain('+        c.KubeSpawner.http_timeout = 90');
    expect(good.stdout.slice(heading)).toContain('pangeo-gcp/ocean (added)');
    expect(readFileSync(join(platform, 'ocean.yaml'), 'utf8')).toContain('http_timeout');
    git('checkout', '-q', 'main');
  });
});
