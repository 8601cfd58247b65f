// `hubfleet audit` end to end: the example fleet, a fleet that trips every rule once (exact list,
// file:line), the SARIF against the SARIF 2.1.0 schema, --live through the fake helm, usage errors.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { createFakeHelm, type FakeHelm } from '../support/fake-helm.js';
import { ALL_RULES_FLEET } from './support.js';
import { runInProcess } from '../support/cli-runs.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  return runInProcess(['audit', ...args], cwd, env);
}

type Row = [string, string, number, number, string, string];

function rows(json: string): Row[] {
  const parsed = JSON.parse(json) as {
    findings: { ruleId: string; file: string; line: number; col: number; field: string; message: string }[];
  };
  return parsed.findings.map((f) => [f.ruleId, f.file, f.line, f.col, f.field, f.message]);
}

// Both are CommonJS modules whose export is also their `default` (what NodeNext types them as).
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

const fleet = resolve(ALL_RULES_FLEET);

/** Every rule a valid fleet can trip, once each, where the fixture's comments say. */
const ALL_TRIPPED: Row[] = [
  [
    'HF015',
    '.github/workflows/deploy.yml',
    10,
    15,
    'jobs.deploy.steps[0].uses',
    'actions/checkout@v4 is pinned to "v4", which can be moved; pin the full commit SHA',
  ],
  [
    'HF013',
    '.github/workflows/deploy.yml',
    14,
    11,
    'jobs.deploy.steps[1].with.credentials_json',
    'logs in with a service account key',
  ],
  [
    'HF014',
    '.github/workflows/deploy.yml',
    19,
    11,
    'jobs.deploy.steps[2].env.AWS_ACCESS_KEY_ID',
    'sets AWS_ACCESS_KEY_ID',
  ],
  [
    'HF007',
    'config/clusters/tripped-aws/hubs/fjord.yaml',
    17,
    28,
    'values.jupyterhub.singleuser.cloudMetadata.blockWithIptables',
    "no iptables block of the EC2 metadata server: only a network policy, where one is enforced, keeps the node's credentials from user pods",
  ],
  [
    'HF005',
    'config/clusters/tripped-gcp/cluster.yaml',
    10,
    20,
    'gcp.privateEndpoint',
    'the control plane of tripped-gcp has a public endpoint',
  ],
  [
    'HF006',
    'config/clusters/tripped-gcp/cluster.yaml',
    21,
    18,
    'gcp.masterAuthorizedNetworks[1].cidrBlock',
    '0.0.0.0/0 (everyone) admits every address to the control plane of tripped-gcp',
  ],
  [
    'HF017',
    'config/clusters/tripped-gcp/cluster.yaml',
    24,
    25,
    'gcp.restrictedGoogleApis',
    "tripped-gcp reaches Google APIs, gcr.io and pkg.dev only through the restricted VIP but has no images.mirror: its hubs' images come from public registries its nodes cannot pull from",
  ],
  [
    'HF012',
    'config/clusters/tripped-gcp/hubs/lake.yaml',
    14,
    3,
    'buckets.scratch',
    'scratch bucket hubfleet-tripped-gcp-lake-scratch-21c1bb07 has no deleteAfterDays: its objects are never deleted',
  ],
  [
    'HF008',
    'config/clusters/tripped-gcp/hubs/lake.yaml',
    16,
    14,
    'podSecurity',
    'is privileged, but no container of lake needs it (no metadata-blocking init container, no privileged user containers)',
  ],
  [
    'HF009',
    'config/clusters/tripped-gcp/hubs/lake.yaml',
    21,
    14,
    'values.singleuser.cpu.limit',
    '32 is 32 CPU cores, above the ceiling of 8',
  ],
  [
    'HF010',
    'config/clusters/tripped-gcp/platform/pond.yaml',
    5,
    7,
    'values.hub.extraConfig["10-timeout"]',
    'is privileged: it runs code or images inside the hub with its credentials, which can replace the authenticator; set in the platform file, where the platform team reviews it: check that it is still needed',
  ],
  [
    'HF016',
    'config/runners/tripped-gcp.service-account.yaml',
    8,
    5,
    'metadata.annotations["iam.gke.io/gcp-service-account"]',
    'gives every job on these runners GKE Workload Identity (deployer@tripped-prod.iam.gserviceaccount.com)',
  ],
  [
    'HF011',
    'terraform/gcp/buckets.tf',
    1,
    1,
    'google_storage_bucket.hub',
    'has no public_access_prevention = "enforced"',
  ],
];

let helm: FakeHelm | undefined;
afterEach(() => {
  helm?.close();
  helm = undefined;
});

describe('hubfleet audit', () => {
  it('passes the example fleet (exit 0): three warnings and a note, no error', async () => {
    const r = await audit([], process.cwd());
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    expect(lines).toEqual([
      'config/clusters/pangeo-gcp/hubs/climate-staging.yaml:12:14: warning HF008 pod-security-privileged-unneeded: podSecurity: is privileged, but no container of climate-staging needs it (no metadata-blocking init container, no privileged user containers)',
      'config/clusters/pangeo-gcp/hubs/ocean-staging.yaml:17:14: warning HF008 pod-security-privileged-unneeded: podSecurity: is privileged, but no container of ocean-staging needs it (no metadata-blocking init container, no privileged user containers)',
      'config/clusters/pangeo-gcp/hubs/ocean.yaml:21:14: warning HF008 pod-security-privileged-unneeded: podSecurity: is privileged, but no container of ocean needs it (no metadata-blocking init container, no privileged user containers)',
      'config/clusters/pangeo-gcp/platform/ocean-staging.yaml:9:9: note HF010 platform-privileged-value: values.jupyterhub.hub.extraConfig["10-slow-image-start"]: is privileged: it runs code or images inside the hub with its credentials, which can replace the authenticator; set in the platform file, where the platform team reviews it: check that it is still needed',
    ]);
    expect(r.stdout).toContain('\naudit: 4 findings (3 warnings, 1 note)\n');
    expect((await audit(['--fail-on', 'warning'], process.cwd())).code).toBe(1);
  });

  it('reports each rule tripped once in the all-rules fleet, at its file:line, and exits 1', async () => {
    const r = await audit(['--format', 'json'], fleet);
    // validate's warnings (if any) go to stderr; no error.
    expect(r.stderr).not.toMatch(/error/);
    expect(rows(r.stdout)).toEqual(ALL_TRIPPED);
    expect(r.code).toBe(1);
  });

  it('--max-cpu raises the HF009 ceiling; --fail-on none exits 0', async () => {
    const r = await audit(['--format', 'json', '--max-cpu', '32', '--fail-on', 'none'], fleet);
    expect(r.code).toBe(0);
    expect(rows(r.stdout)).toEqual(ALL_TRIPPED.filter((row) => row[0] !== 'HF009'));
  });

  it.each([
    // [fleet.yaml, flags, the HF009 finding's message or none]
    ['audit:\n  maxCpu: 32\n', [], undefined],
    ['audit:\n  maxCpu: 16\n  maxGpu: 2\n', [], '32 is 32 CPU cores, above the ceiling of 16'],
    ['audit:\n  maxCpu: 16\n', ['--max-cpu', '64'], undefined],
    ['audit:\n  maxCpu: 64\n', ['--max-cpu', '4'], '32 is 32 CPU cores, above the ceiling of 4'],
  ])(
    'config/fleet.yaml %j sets the HF009 ceiling; flags %j override it',
    async (settings, flags, message) => {
      const work = mkdtempSync(join(tmpdir(), 'hubfleet-audit-'));
      try {
        cpSync(fleet, work, { recursive: true });
        writeFileSync(join(work, 'config/fleet.yaml'), settings);
        const r = await audit(['--format', 'json', '--fail-on', 'none', ...flags], work);
        expect(r.code).toBe(0);
        const hf009 = ALL_TRIPPED.find((row) => row[0] === 'HF009') as Row;
        const expected = ALL_TRIPPED.flatMap((row): Row[] =>
          row !== hf009 ? [row] : message === undefined ? [] : [[...hf009.slice(0, 5), message] as Row],
        );
        expect(rows(r.stdout)).toEqual(expected);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );

  it('writes SARIF 2.1.0 that the SARIF schema accepts, with what code scanning reads', async () => {
    const r = await audit(['--format', 'sarif'], fleet);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: {
          driver: { rules: { id: string; properties: Record<string, unknown>; help: { text: string } }[] };
        };
        results: {
          ruleId: string;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
          partialFingerprints: Record<string, string>;
        }[];
      }[];
    };
    const schema = JSON.parse(readFileSync('test/fixtures/sarif/sarif-2.1.0-rtm.5.json', 'utf8')) as object;
    // The schema's language pattern has a stray ] that only a non-unicode RegExp accepts.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    // The schema does reject what is not SARIF 2.1.0.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);

    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(
      Array.from({ length: 17 }, (_, i) => `HF${String(i + 1).padStart(3, '0')}`),
    );
    expect(run?.tool.driver.rules[0]?.properties['security-severity']).toBe('9.1');
    expect(
      run?.results.map((x) => [
        x.ruleId,
        x.locations[0]?.physicalLocation.artifactLocation.uri,
        x.locations[0]?.physicalLocation.region.startLine,
      ]),
    ).toEqual(ALL_TRIPPED.map((row) => [row[0], row[1], row[2]]));
    expect(run?.results.map((x) => x.level)).toEqual([
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'warning',
      'warning',
      'warning',
      'warning',
      'note',
      'error',
      'error',
    ]);
    const prints = run?.results.map((x) => x.partialFingerprints['hubfleetFinding/v1']) ?? [];
    expect(new Set(prints).size).toBe(ALL_TRIPPED.length);
  });

  it('--live reads each GKE release through helm and reports a hub left on the project-wide audience', async () => {
    helm = createFakeHelm('http://127.0.0.1:9');
    const release = (values: object): object[] => [
      { revision: 1, status: 'deployed', description: 'Install complete', values: JSON.stringify(values) },
    ];
    const audience = (a: string | undefined): object => ({
      hub: {
        config: {
          HubfleetIAPAuthenticator: a === undefined ? { project_number: '123456789012' } : { audience: a },
        },
      },
    });
    writeFileSync(
      `${helm.stateDir}/releases.json`,
      JSON.stringify({
        'lake/lake': release(audience(undefined)),
        'pond/pond': release(audience('/projects/123456789012/global/backendServices/77')),
      }),
    );
    const r = await audit(['--format', 'json', '--live', '--cluster', 'tripped-gcp'], fleet, {
      ...process.env,
      ...helm.env(),
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(rows(r.stdout).filter((row) => row[0] === 'HF004')).toEqual([
      [
        'HF004',
        'config/clusters/tripped-gcp/hubs/lake.yaml',
        7,
        1,
        'iap',
        'the live release of lake pins no backend service audience: it accepts IAP assertions minted for any backend service of project 123456789012',
      ],
    ]);
    expect(helm.calls().map((c) => c.args)).toEqual([
      ['get', 'values', 'lake', '--namespace', 'lake', '-o', 'json'],
      ['get', 'values', 'pond', '--namespace', 'pond', '-o', 'json'],
    ]);
  });

  it('audits only a fleet that validates: prints the problems as validate does and exits 1', async () => {
    const work = mkdtempSync(join(tmpdir(), 'hubfleet-audit-'));
    try {
      cpSync(fleet, work, { recursive: true });
      const hub = join(work, 'config/clusters/tripped-gcp/hubs/pond.yaml');
      writeFileSync(hub, readFileSync(hub, 'utf8').replace('stage: staging', 'stage: later'));
      const r = await audit(['--format', 'sarif'], work);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^config\/clusters\/tripped-gcp\/hubs\/pond\.yaml:2:8: stage: /m);
      expect(r.stderr).toContain('\n1 error in the fleet config; nothing was changed\n');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await audit(['--help'], fleet);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'hubfleet audit [--config DIR] [--format text|json|sarif] [--fail-on error|warning|note|none]',
    );
  });

  it.each([
    [['--format', 'xml'], '--format must be one of text, json, sarif, not "xml"'],
    [['--fail-on', 'info'], '--fail-on must be one of error, warning, note, none, not "info"'],
    [['--max-cpu', 'lots'], '--max-cpu must be a number, not "lots"'],
    [['--live'], '--live needs --cluster C: helm reads the releases of the current kube context only'],
    [['--cluster', 'x'], '--cluster is used only with --live'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await audit(args, fleet);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`hubfleet audit: ${message}`);
  });
});
