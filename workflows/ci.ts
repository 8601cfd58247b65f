// ci: the project's own checks (typecheck, lint, dist check, actionlint, tests) on a
// GitHub-hosted runner. `.ci/run` is the single definition, so CI and a local run agree.
import type { Workflow } from './model.js';
import { pinned } from './pinned-actions.js';
import { checkout, GITHUB_HOSTED, NODE_VERSION } from './steps.js';

export const ci: Workflow = {
  file: 'ci',
  source: 'ci.ts',
  name: 'ci',
  on: { pull_request: {}, push: { branches: ['main'] } },
  permissions: { contents: 'read' },
  concurrency: { group: 'ci-${{ github.ref }}', 'cancel-in-progress': true },
  jobs: {
    ci: {
      name: 'typecheck, lint, dist, actionlint, tests',
      'runs-on': GITHUB_HOSTED,
      permissions: { contents: 'read' },
      'timeout-minutes': 30,
      steps: [
        checkout({ fetchDepth: 0 }),
        {
          name: 'Set up Node',
          uses: pinned('setupNode'),
          with: { 'node-version': NODE_VERSION, cache: 'npm' },
        },
        { name: 'CI (.ci/run)', run: 'bash .ci/run' },
      ],
    },
  },
};
