// Every third-party action the workflows use, pinned by the full commit SHA of a release tag (a tag
// can be moved; a commit cannot). The version goes into the rendered YAML as a comment so a reader
// and Dependabot see which release the SHA is. Each SHA was read from the action's repository as
// the commit its release tag points to (`git rev-parse <tag>^{commit}`); all run on node24.
// To update one: find the new release tag's commit, change sha and version here, `npm run workflows`.

export interface PinnedAction {
  repository: string;
  sha: string;
  version: string;
}

export const PINNED_ACTIONS = {
  checkout: {
    repository: 'actions/checkout',
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    version: 'v7.0.1',
  },
  setupNode: {
    repository: 'actions/setup-node',
    sha: '820762786026740c76f36085b0efc47a31fe5020',
    version: 'v7.0.0',
  },
  uploadArtifact: {
    repository: 'actions/upload-artifact',
    sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f',
    version: 'v7.0.0',
  },
  downloadArtifact: {
    repository: 'actions/download-artifact',
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
    version: 'v8.0.1',
  },
  googleAuth: {
    repository: 'google-github-actions/auth',
    sha: '7c6bc770dae815cd3e89ee6cdf493a5fab2cc093',
    version: 'v3.0.0',
  },
  getGkeCredentials: {
    repository: 'google-github-actions/get-gke-credentials',
    sha: '3da1e46a907576cefaa90c484278bb5b259dd395',
    version: 'v3.0.0',
  },
  setupGo: {
    repository: 'actions/setup-go',
    sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e',
    version: 'v7.0.0',
  },
  configureAwsCredentials: {
    repository: 'aws-actions/configure-aws-credentials',
    sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c',
    version: 'v6.2.3',
  },
  // The upload-sarif action of the CodeQL Action repository (v4.36.2: `runs.using: node24` in
  // upload-sarif/action.yml at that commit); hub-pr uploads `hubfleet audit --format sarif` with it.
  uploadSarif: {
    repository: 'github/codeql-action/upload-sarif',
    sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
    version: 'v4.36.2',
  },
} as const satisfies Record<string, PinnedAction>;

export type PinnedActionName = keyof typeof PINNED_ACTIONS;

/** `owner/repo@<sha>` for a `uses:` line. */
export function pinned(name: PinnedActionName): string {
  const action = PINNED_ACTIONS[name];
  return `${action.repository}@${action.sha}`;
}

/** The release a pinned `uses:` value stands for, or undefined when it is not in the table. */
export function pinnedVersion(uses: string): string | undefined {
  return Object.values(PINNED_ACTIONS).find((a) => uses === `${a.repository}@${a.sha}`)?.version;
}

/** The project's own actions, used from the checked-out repository (see docs/decisions/0015). */
export type HubfleetAction =
  'plan-cluster' | 'apply-iam' | 'deploy-hub' | 'verify-cert' | 'smoke-iap' | 'hub-health' | 'report';

export function local(name: HubfleetAction): string {
  return `./actions/${name}`;
}
