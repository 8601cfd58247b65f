// The release form of the workflows: every reference to this repository is rewritten to the pinned
// release, and one the transform does not know is an error rather than a fleet workflow that
// points at files the fleet does not have.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { Workflow } from './model.js';
import { checkPolicy } from './policy.js';
import { renderWorkflow } from './render.js';
import { forTool, LOCAL_TOOL, toolVersion, type ToolSource } from './tool-source.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const RELEASE: ToolSource = { kind: 'release', repository: 'acme/hubfleet', version: '1.2.3', sha: SHA };

function workflow(steps: Workflow['jobs'][string]['steps']): Workflow {
  return {
    file: 'w',
    source: 'w.ts',
    name: 'w',
    on: { pull_request: { paths: ['config/**', 'terraform/**', 'src/render/**'] } },
    permissions: {},
    jobs: {
      plan: {
        'runs-on': 'ubuntu-latest',
        permissions: { contents: 'read', 'pull-requests': 'write' },
        'timeout-minutes': 10,
        steps,
      },
    },
  };
}

const CHECKOUT = { name: 'Check out', uses: `actions/checkout@${'a'.repeat(40)}` };

describe('forTool', () => {
  it('local: the workflow itself', () => {
    const w = workflow([{ name: 'x', run: 'node bin/hubfleet.js validate' }]);
    expect(forTool(w, LOCAL_TOOL)).toBe(w);
  });

  it('release: pins the actions, installs the CLI from the release, takes its Terraform modules', () => {
    const w = forTool(
      workflow([
        CHECKOUT,
        { name: 'Install hubfleet', run: 'npm ci --no-audit --no-fund' },
        { name: 'Validate', run: 'node bin/hubfleet.js validate' },
        { id: 'plan', name: 'Plan', uses: './actions/plan-cluster', with: { cluster: 'c', mode: 'plan' } },
      ]),
      RELEASE,
    );
    expect(w.on).toEqual({ pull_request: { paths: ['config/**', '.hubfleet/**'] } });
    expect(w.jobs.plan?.steps).toEqual([
      CHECKOUT,
      { name: 'Install hubfleet', uses: `acme/hubfleet/actions/setup@${SHA}` },
      { name: 'Validate', run: 'node "$HUBFLEET_TOOL_DIR/bin/hubfleet.js" validate' },
      {
        id: 'plan',
        name: 'Plan',
        uses: `acme/hubfleet/actions/plan-cluster@${SHA}`,
        with: { cluster: 'c', mode: 'plan', 'terraform-dir': '${{ env.HUBFLEET_TOOL_DIR }}/terraform' },
      },
    ]);
  });

  it('release: a Terraform job without the CLI gets the modules only, right after the checkout', () => {
    const w = forTool(workflow([CHECKOUT, { name: 'Plan', uses: './actions/apply-iam', with: {} }]), RELEASE);
    expect(w.jobs.plan?.steps.map((s) => ('uses' in s ? [s.name, s.uses, s.with] : [s.name]))).toEqual([
      ['Check out', CHECKOUT.uses, undefined],
      ['hubfleet Terraform modules', `acme/hubfleet/actions/setup@${SHA}`, { cli: false }],
      [
        'Plan',
        `acme/hubfleet/actions/apply-iam@${SHA}`,
        { 'terraform-dir': '${{ env.HUBFLEET_TOOL_DIR }}/terraform' },
      ],
    ]);
  });

  it('release: refuses a reference to this repository it cannot rewrite', () => {
    expect(() => forTool(workflow([{ name: 'Script', run: 'bash ./actions/x/run.sh' }]), RELEASE)).toThrow(
      'the release form of w still refers to this repository: w.plan "Script": ./actions/ (workflows/tool-source.ts)',
    );
    expect(() =>
      forTool(workflow([{ name: 'Lib', run: 'node lib/src/x.js && node bin/hubfleet.js x' }]), RELEASE),
    ).not.toThrow();
  });

  it.each<[ToolSource, string]>([
    [{ ...RELEASE, sha: 'v1.2.3' }, 'tool sha must be a full 40-hex commit sha, not "v1.2.3"'],
    [{ ...RELEASE, version: 'latest' }, 'tool version must be semver X.Y.Z, not "latest"'],
    [{ ...RELEASE, repository: 'hubfleet' }, 'tool repository must be owner/name, not "hubfleet"'],
  ])('refuses a release that is not pinned: %j', (source, message) => {
    expect(() => forTool(workflow([]), source)).toThrow(message);
  });

  it('renders the version beside every release pin', () => {
    const w = forTool(
      workflow([CHECKOUT, { name: 'R', uses: './actions/report', with: { mode: 'comment' } }]),
      RELEASE,
    );
    const text = renderWorkflow(w, { versionOf: (u) => toolVersion(RELEASE, u) }).content;
    expect(text).toContain(`uses: acme/hubfleet/actions/report@${SHA} # v1.2.3\n`);
  });

  it("the policy reads a released hubfleet action as the local one (pull-requests: write is the report's)", () => {
    const file = (w: Workflow): { file: string; workflow: unknown } => ({
      file: 'w.yml',
      workflow: parse(renderWorkflow(w).content) as unknown,
    });
    const report = { name: 'R', uses: './actions/report', with: { mode: 'comment' } };
    expect(checkPolicy([file(forTool(workflow([CHECKOUT, report]), RELEASE))])).toEqual([]);
    expect(checkPolicy([file(forTool(workflow([CHECKOUT]), RELEASE))])).toEqual([
      {
        rule: 'least-privilege',
        file: 'w.yml',
        job: 'plan',
        message: 'pull-requests: write but no step uses it',
      },
    ]);
  });
});
