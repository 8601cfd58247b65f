// hub-pr: a pull request that changes the fleet. Validation, the affected set and the rendered
// diff run on a GitHub-hosted runner with a read-only token and no secrets, so they are safe for
// forks. Plans run on the cluster's in-VPC runner with OIDC, and only for pull requests from
// this repository: a fork's code never reaches a self-hosted runner or a cloud credential.
import { RENDERER_PATHS } from './freshness.js';
import type { Workflow } from './model.js';
import { local, pinned } from './pinned-actions.js';
import {
  affectedScript,
  checkout,
  cloudLogin,
  GITHUB_HOSTED,
  installHubfleet,
  PARSE_CACHE_ENV,
  uploadArtifact,
} from './steps.js';
import { packPlanSteps, PLAN_ARTIFACT, PLAN_ARTIFACT_DIR, PLAN_RETENTION_DAYS } from './plan-artifact.js';

/** A pull request whose head branch lives in this repository (not a fork). */
export const SAME_REPOSITORY = 'github.event.pull_request.head.repo.full_name == github.repository';

export const hubPr: Workflow = {
  file: 'hub-pr',
  source: 'hub-pr.ts',
  name: 'hub-pr',
  on: {
    pull_request: {
      types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'],
      paths: ['config/**', 'terraform/**', ...RENDERER_PATHS],
    },
  },
  permissions: {},
  // A newer push makes older plans of the same PR moot.
  concurrency: { group: 'hub-pr-${{ github.event.pull_request.number }}', 'cancel-in-progress': true },
  jobs: {
    validate: {
      name: 'validate, affected, rendered diff',
      'runs-on': GITHUB_HOSTED,
      permissions: { contents: 'read' },
      'timeout-minutes': 15,
      outputs: {
        clusters: '${{ steps.affected.outputs.clusters }}',
        'has-clusters': '${{ steps.affected.outputs.has-clusters }}',
      },
      steps: [
        // The merge commit (GitHub's default for pull_request) with all history: base...HEAD.
        checkout({ fetchDepth: 0 }),
        ...installHubfleet(),
        {
          name: 'Validate the fleet (annotations on the config lines)',
          // Fills the parse cache that the next two steps read.
          env: { ...PARSE_CACHE_ENV },
          run: 'node bin/hubfleet.js validate',
        },
        {
          id: 'affected',
          name: 'Affected clusters and hubs',
          env: {
            BASE_SHA: '${{ github.event.pull_request.base.sha }}',
            LABELS: "${{ join(github.event.pull_request.labels.*.name, ',') }}",
            ...PARSE_CACHE_ENV,
          },
          // A hub file deleted without hubfleet:remove-hub fails the check here, on the file:
          // src/plan/removal-gate.ts. Adding the label re-runs it (the `labeled` event).
          run: affectedScript(),
        },
        {
          name: 'Rendered diff against the base branch',
          env: { BASE_SHA: '${{ github.event.pull_request.base.sha }}', ...PARSE_CACHE_ENV },
          run: [
            'mkdir -p rendered-diff',
            'node bin/hubfleet.js diff --base "$BASE_SHA" --head HEAD --format markdown > rendered-diff/rendered-diff.md',
            '# A job summary holds at most 1 MiB; the full diff is in the artifact and the comment.',
            'head -c 900000 rendered-diff/rendered-diff.md >> "$GITHUB_STEP_SUMMARY"',
          ].join('\n'),
        },
        uploadArtifact('rendered-diff', 'rendered-diff/', 7),
      ],
    },
    audit: {
      name: 'security audit (code scanning)',
      'runs-on': GITHUB_HOSTED,
      // A fork's token cannot write security events, so its upload would fail; a fork's PR is
      // audited again once it is merged (and the validate job runs for it either way).
      if: SAME_REPOSITORY,
      permissions: { contents: 'read', 'security-events': 'write' },
      'timeout-minutes': 10,
      steps: [
        checkout(),
        ...installHubfleet(),
        {
          name: 'Audit the fleet (SARIF)',
          // Every finding goes to code scanning, which shows it on the PR's changed lines; the
          // step after the upload fails the job on errors, with the findings in the log.
          run: 'node bin/hubfleet.js audit --format sarif --fail-on none > hubfleet-audit.sarif',
        },
        {
          name: 'Upload the findings to code scanning',
          uses: pinned('uploadSarif'),
          with: { sarif_file: 'hubfleet-audit.sarif', category: 'hubfleet-audit' },
        },
        { name: 'Fail on error findings', run: 'node bin/hubfleet.js audit' },
      ],
    },
    comment: {
      name: 'rendered diff comment',
      needs: ['validate'],
      // A fork's token cannot write comments; forks see the diff in the job summary.
      if: SAME_REPOSITORY,
      'runs-on': GITHUB_HOSTED,
      // actions: read downloads the run's artifact through the REST API.
      permissions: { contents: 'read', actions: 'read', 'pull-requests': 'write' },
      'timeout-minutes': 10,
      steps: [
        checkout(),
        {
          name: 'Download the rendered diff',
          uses: pinned('downloadArtifact'),
          // Through the REST API, so a re-run of this job alone finds the first attempt's diff
          // (docs/decisions/0031).
          with: {
            name: 'rendered-diff',
            path: '${{ runner.temp }}/rendered-diff',
            'run-id': '${{ github.run_id }}',
            'github-token': '${{ github.token }}',
          },
        },
        {
          name: 'Sticky comment',
          uses: local('report'),
          with: {
            mode: 'comment',
            key: 'rendered-diff',
            'body-file': '${{ runner.temp }}/rendered-diff/rendered-diff.md',
          },
        },
      ],
    },
    plan: {
      name: 'plan ${{ matrix.cluster }}',
      needs: ['validate'],
      if: `${SAME_REPOSITORY} && needs.validate.outputs.has-clusters == 'true'`,
      'runs-on': '${{ matrix.runner }}',
      permissions: { contents: 'read', 'id-token': 'write', 'pull-requests': 'write' },
      'timeout-minutes': 45,
      strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.validate.outputs.clusters) }}' },
      steps: [
        checkout(),
        ...cloudLogin({ kubeconfig: false, identity: 'planner' }),
        {
          id: 'plan',
          name: 'Plan',
          uses: local('plan-cluster'),
          with: {
            cluster: '${{ matrix.cluster }}',
            mode: 'plan',
            'pr-number': '${{ github.event.pull_request.number }}',
          },
        },
        ...packPlanSteps('plan'),
        uploadArtifact(PLAN_ARTIFACT, PLAN_ARTIFACT_DIR, PLAN_RETENTION_DAYS),
      ],
    },
  },
};
