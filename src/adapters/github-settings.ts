// The repository settings `hubfleet doctor` reads from the GitHub REST API: labels, Environments
// (protection rules, branch policies), the *names* of Actions secrets, and self-hosted runners.
// Paths and shapes are GitHub's OpenAPI description as @octokit/openapi-types carries it
// (`environment`, `deployment-branch-policy`, `actions-secret`, `runner`). Secret values are never
// requested: the secrets endpoints list names and dates only. The base URL is GITHUB_API_URL.
import { getOctokit } from '@actions/github';
import type { Fetched } from '../doctor/model.js';
import type { EnvironmentFacts, RunnerFacts } from '../doctor/github-checks.js';

export interface GitHubSettings {
  readonly repository: string;
  /** `id` of GET /repos/{owner}/{repo}: the OIDC token's `repository_id` claim. */
  repositoryId(): Promise<Fetched<string>>;
  listLabels(): Promise<Fetched<string[]>>;
  getEnvironment(name: string): Promise<Fetched<EnvironmentFacts>>;
  listRepoSecretNames(): Promise<Fetched<string[]>>;
  /** Organization secrets shared with this repository (404 for a user-owned repository). */
  listOrgSecretNames(): Promise<Fetched<string[]>>;
  listEnvironmentSecretNames(environment: string): Promise<Fetched<string[]>>;
  listRunners(): Promise<Fetched<RunnerFacts[]>>;
}

export function createGitHubSettings(opts: {
  token: string;
  repository: string;
  apiUrl?: string;
  timeoutMs?: number;
}): GitHubSettings {
  const [owner = '', repo = ''] = opts.repository.split('/');
  const apiUrl = (opts.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const octokit = getOctokit(opts.token, { baseUrl: apiUrl });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const request = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(timeoutMs) });
  const scrub = (text: string): string => (opts.token === '' ? text : text.split(opts.token).join('***'));

  async function read<T>(fn: () => Promise<T>): Promise<Fetched<T>> {
    try {
      return { kind: 'ok', value: await fn() };
    } catch (error: unknown) {
      const e = error as { status?: unknown; message?: unknown };
      const status = typeof e.status === 'number' ? e.status : undefined;
      const message = scrub(typeof e.message === 'string' ? e.message : String(error));
      if (status === 404) return { kind: 'missing' };
      if (status === 401 || status === 403) return { kind: 'denied', status, message };
      return {
        kind: 'error',
        message: status === undefined ? `could not reach ${apiUrl}: ${message}` : `HTTP ${status} ${message}`,
      };
    }
  }

  const base = { owner, repo, per_page: 100, request: request() };
  return {
    repository: `${owner}/${repo}`,
    repositoryId: () =>
      read(async () => String((await octokit.rest.repos.get({ owner, repo, request: request() })).data.id)),
    listLabels: () =>
      read(async () =>
        (await octokit.paginate(octokit.rest.issues.listLabelsForRepo, base)).map((l) => l.name),
      ),
    getEnvironment: (name) =>
      read(async () => {
        const { data } = await octokit.rest.repos.getEnvironment({
          owner,
          repo,
          environment_name: name,
          request: request(),
        });
        const reviewers = (data.protection_rules ?? []).flatMap((rule) =>
          rule.type === 'required_reviewers' && 'reviewers' in rule ? (rule.reviewers ?? []) : [],
        ).length;
        const policy = data.deployment_branch_policy ?? null;
        const facts: EnvironmentFacts = {
          reviewers,
          branchPolicy:
            policy === null
              ? null
              : {
                  protectedBranches: policy.protected_branches,
                  customBranchPolicies: policy.custom_branch_policies,
                },
          branchPolicies: [],
        };
        if (policy?.custom_branch_policies === true) {
          const { data: list } = await octokit.rest.repos.listDeploymentBranchPolicies({
            owner,
            repo,
            environment_name: name,
            per_page: 100,
            request: request(),
          });
          facts.branchPolicies = list.branch_policies.map((p) => ({
            name: p.name ?? '',
            type: p.type ?? 'branch',
          }));
        }
        return facts;
      }),
    listRepoSecretNames: () =>
      read(async () =>
        (await octokit.paginate(octokit.rest.actions.listRepoSecrets, base)).map((s) => s.name),
      ),
    listOrgSecretNames: () =>
      read(async () =>
        (await octokit.paginate(octokit.rest.actions.listRepoOrganizationSecrets, base)).map((s) => s.name),
      ),
    listEnvironmentSecretNames: (environment) =>
      read(async () =>
        (
          await octokit.paginate(octokit.rest.actions.listEnvironmentSecrets, {
            ...base,
            environment_name: environment,
          })
        ).map((s) => s.name),
      ),
    listRunners: () =>
      read(async () =>
        (await octokit.paginate(octokit.rest.actions.listSelfHostedRunnersForRepo, base)).map((r) => ({
          name: r.name,
          status: r.status,
          labels: r.labels.map((l) => l.name),
        })),
      ),
  };
}
