// A GitHub REST double for the repository settings `hubfleet doctor` reads, with the paths and
// response shapes of GitHub's OpenAPI description (@octokit/openapi-types: `full-repository`,
// `label`, `environment`, `deployment-branch-policy`, `actions-secret`, `runner`):
//   GET /repos/{o}/{r}                                        {id, full_name, …}
//   GET /repos/{o}/{r}/labels                                 [label]            (paged)
//   GET /repos/{o}/{r}/environments/{env}                     environment, 404 when absent
//   GET /repos/{o}/{r}/environments/{env}/deployment-branch-policies {total_count, branch_policies}
//   GET /repos/{o}/{r}/actions/secrets                        {total_count, secrets} (paged)
//   GET /repos/{o}/{r}/actions/organization-secrets           {total_count, secrets} (paged)
//   GET /repos/{o}/{r}/environments/{env}/secrets             {total_count, secrets} (paged)
//   GET /repos/{o}/{r}/actions/runners                        {total_count, runners} (paged)
// Paging follows GitHub's `page`/`per_page` and `Link: <…>; rel="next"` (octokit.paginate reads
// it). Secrets are held by name only: a secret's value never reaches the double. Without the token
// it answers 401; a path in `deny` answers 403 "Resource not accessible by integration", which is
// what a workflow's GITHUB_TOKEN gets for secrets and runners.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DoubleEnvironment {
  reviewers: Array<{ type: 'User' | 'Team'; login: string }>;
  /** null: every branch may deploy. */
  branchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies: Array<{ name: string; type: 'branch' | 'tag' }>;
  secrets: string[];
}

export interface GitHubSettingsDouble {
  url: string;
  repositoryId: number;
  labels: string[];
  environments: Map<string, DoubleEnvironment>;
  repoSecrets: string[];
  /** undefined: a user-owned repository (the endpoint answers 404). */
  orgSecrets: string[] | undefined;
  runners: Array<{ name: string; status: 'online' | 'offline'; busy: boolean; labels: string[] }>;
  /** Path suffixes (after /repos/{o}/{r}) that answer 403. */
  deny: Set<string>;
  requests: string[];
  close(): Promise<void>;
}

const PER_PAGE_DEFAULT = 30;

export async function startGitHubSettingsDouble(opts: {
  repository: string;
  token: string;
}): Promise<GitHubSettingsDouble> {
  const prefix = `/repos/${opts.repository}`;
  let base = '';
  const double: GitHubSettingsDouble = {
    url: '',
    repositoryId: 987654321,
    labels: [],
    environments: new Map(),
    repoSecrets: [],
    orgSecrets: [],
    runners: [],
    deny: new Set(),
    requests: [],
    close: () => Promise.resolve(),
  };
  const secret = (name: string): Record<string, string> => ({
    name,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    double.requests.push(`${req.method ?? 'GET'} ${url.pathname}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
        .end(JSON.stringify(body));
    };
    const docs = 'https://docs.github.com/rest';
    const auth = req.headers.authorization;
    if (auth !== `token ${opts.token}` && auth !== `Bearer ${opts.token}`) {
      send(401, { message: 'Bad credentials', documentation_url: docs, status: '401' });
      return;
    }
    if (req.method !== 'GET' || !url.pathname.startsWith(prefix)) {
      send(404, { message: 'Not Found', documentation_url: docs, status: '404' });
      return;
    }
    const rest = url.pathname.slice(prefix.length);
    if (double.deny.has(rest)) {
      send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: docs,
        status: '403',
      });
      return;
    }
    const notFound = (): void => send(404, { message: 'Not Found', documentation_url: docs, status: '404' });
    /** One page of `items`; `wrap` names the list for the namespaced endpoints. */
    const paged = (items: unknown[], wrap?: string): void => {
      const perPage = Number(url.searchParams.get('per_page') ?? PER_PAGE_DEFAULT);
      const page = Number(url.searchParams.get('page') ?? '1');
      const slice = items.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < items.length) {
        const next = new URL(`${base}${url.pathname}`);
        next.searchParams.set('per_page', String(perPage));
        next.searchParams.set('page', String(page + 1));
        headers['link'] = `<${next.toString()}>; rel="next"`;
      }
      send(200, wrap === undefined ? slice : { total_count: items.length, [wrap]: slice }, headers);
    };
    if (rest === '') {
      send(200, { id: double.repositoryId, name: opts.repository.split('/')[1], full_name: opts.repository });
      return;
    }
    if (rest === '/labels') {
      paged(
        double.labels.map((name, i) => ({
          id: i + 1,
          name,
          color: 'ededed',
          default: false,
          description: null,
        })),
      );
      return;
    }
    if (rest === '/actions/secrets') return paged(double.repoSecrets.map(secret), 'secrets');
    if (rest === '/actions/organization-secrets') {
      if (double.orgSecrets === undefined) return notFound();
      return paged(double.orgSecrets.map(secret), 'secrets');
    }
    if (rest === '/actions/runners') {
      return paged(
        double.runners.map((r, i) => ({
          id: i + 1,
          name: r.name,
          os: 'linux',
          status: r.status,
          busy: r.busy,
          ephemeral: true,
          labels: r.labels.map((name, j) => ({
            id: j + 1,
            name,
            type: name === 'self-hosted' ? 'read-only' : 'custom',
          })),
        })),
        'runners',
      );
    }
    const env = /^\/environments\/([^/]+)(\/deployment-branch-policies|\/secrets)?$/.exec(rest);
    const environment = env ? double.environments.get(decodeURIComponent(env[1] ?? '')) : undefined;
    if (env === null || environment === undefined) return notFound();
    const name = decodeURIComponent(env[1] ?? '');
    if (env[2] === '/secrets') return paged(environment.secrets.map(secret), 'secrets');
    if (env[2] === '/deployment-branch-policies') {
      if (environment.branchPolicy?.custom_branch_policies !== true) return notFound();
      send(200, {
        total_count: environment.branchPolicies.length,
        branch_policies: environment.branchPolicies.map((p, i) => ({ id: i + 1, node_id: `BP${i}`, ...p })),
      });
      return;
    }
    const rules: unknown[] = [];
    if (environment.reviewers.length > 0) {
      rules.push({
        id: 3755,
        node_id: 'MDQ6R2F0ZTM3NTU=',
        prevent_self_review: false,
        type: 'required_reviewers',
        reviewers: environment.reviewers.map((r, i) => ({
          type: r.type,
          reviewer: { id: i + 1, login: r.login },
        })),
      });
    }
    if (environment.branchPolicy !== null)
      rules.push({ id: 3756, node_id: 'MDQ6R2F0ZTM3NTY=', type: 'branch_policy' });
    send(200, {
      id: 161088068,
      node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
      name,
      url: `${base}${url.pathname}`,
      html_url: `https://github.com/${opts.repository}/deployments/activity_log?environments_filter=${name}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      protection_rules: rules,
      deployment_branch_policy: environment.branchPolicy,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  double.url = base;
  double.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return double;
}
