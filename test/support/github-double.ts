// A GitHub REST double for the endpoints hubfleet uses (issues, issue comments, labels, PR files).
// It runs a real HTTP server on 127.0.0.1 so the real adapter (octokit, its pagination and our
// retry hook) is exercised end to end; state is in memory and every request is recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GitHub rejects issue and comment bodies longer than this many characters with a 422. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface DoubleUser {
  login: string;
  id: number;
  type: 'Bot' | 'User';
}

export interface DoubleIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  user: DoubleUser;
  /** Set for pull requests, which GitHub also lists under /issues. */
  pull_request?: { url: string };
}

export interface DoubleComment {
  id: number;
  issue_number: number;
  body: string;
  created_at: string;
  updated_at: string;
  user: DoubleUser;
}

export interface DoubleLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface DoublePullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; the authorization value is replaced so a test can see it was sent. */
  headers: Record<string, string>;
  body: unknown;
}

export type Fault =
  /** Answers `status` with GitHub's error shape; `message` replaces the default text. */
  | { kind: 'status'; status: number; message?: string }
  | { kind: 'secondary-rate-limit'; retryAfter?: number }
  | { kind: 'too-many-requests'; retryAfter?: number }
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  /** Upper-case HTTP method; any method when omitted. */
  method?: string;
  /** Matched against the path without the query string; a string must match exactly. */
  path: string | RegExp;
  /** How many matching requests get the fault. */
  times: number;
  fault: Fault;
}

export interface GitHubDoubleState {
  readonly repository: string;
  readonly issues: DoubleIssue[];
  readonly comments: DoubleComment[];
  readonly labels: DoubleLabel[];
  readonly pullFiles: Map<number, DoublePullFile[]>;
}

export interface GitHubDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly state: GitHubDoubleState;
  inject(rule: FaultRule): void;
  /** Creates an issue directly in state (no request recorded), e.g. a pre-existing one. */
  seedIssue(issue: {
    title: string;
    body: string;
    labels?: string[];
    state?: 'open' | 'closed';
  }): DoubleIssue;
  seedComment(issueNumber: number, body: string): DoubleComment;
  seedPullFiles(pullNumber: number, files: DoublePullFile[]): void;
  close(): Promise<void>;
}

export interface GitHubDoubleOptions {
  /** owner/name served; other repositories answer 404. */
  repository?: string;
  /** When set, requests without `Authorization: token <token>` (or Bearer) answer 401. */
  token?: string;
}

const BOT: DoubleUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const DOCS = 'https://docs.github.com/rest';

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly payload: Record<string, unknown>,
  ) {
    super(String(payload['message']));
  }
}

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const repository = options.repository ?? 'hubfleet-org/fleet';
  const state: GitHubDoubleState = { repository, issues: [], comments: [], labels: [], pullFiles: new Map() };
  const requests: RecordedRequest[] = [];
  const faults: FaultRule[] = [];
  // Pending delay faults, cut short by close() so a test run leaves no timers behind.
  const delays = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  let nextId = 1000;
  let nextNumber = 1;
  // A monotonic clock: distinct, ordered timestamps even for requests within one millisecond.
  let tick = Date.parse('2026-01-01T00:00:00Z');
  const now = (): string => new Date((tick += 1000)).toISOString();

  let baseUrl = '';
  const repoPrefix = `/repos/${repository}`;

  const issueJson = (issue: DoubleIssue): Record<string, unknown> => ({
    ...issue,
    labels: issue.labels.map((name) => labelJson(ensureLabel(name))),
    url: `${baseUrl}${repoPrefix}/issues/${issue.number}`,
    html_url: `https://github.com/${repository}/issues/${issue.number}`,
  });
  const commentJson = (c: DoubleComment): Record<string, unknown> => ({
    id: c.id,
    body: c.body,
    created_at: c.created_at,
    updated_at: c.updated_at,
    user: c.user,
    url: `${baseUrl}${repoPrefix}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repository}/issues/${c.issue_number}#issuecomment-${c.id}`,
    issue_url: `${baseUrl}${repoPrefix}/issues/${c.issue_number}`,
  });
  const labelJson = (l: DoubleLabel): Record<string, unknown> => ({
    ...l,
    url: `${baseUrl}${repoPrefix}/labels/${encodeURIComponent(l.name)}`,
    default: false,
  });

  // GitHub matches label names case-insensitively.
  const findLabel = (name: string): DoubleLabel | undefined =>
    state.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  function ensureLabel(name: string): DoubleLabel {
    const existing = findLabel(name);
    if (existing) return existing;
    const label: DoubleLabel = { id: nextId++, name, color: 'ededed', description: null };
    state.labels.push(label);
    return label;
  }

  function createIssue(title: string, body: string | null, labels: string[]): DoubleIssue {
    const at = now();
    const issue: DoubleIssue = {
      id: nextId++,
      number: nextNumber++,
      title,
      body,
      state: 'open',
      state_reason: null,
      labels: labels.map((n) => ensureLabel(n).name),
      created_at: at,
      updated_at: at,
      closed_at: null,
      user: BOT,
    };
    state.issues.push(issue);
    return issue;
  }

  function createComment(issueNumber: number, body: string): DoubleComment {
    const at = now();
    const comment: DoubleComment = {
      id: nextId++,
      issue_number: issueNumber,
      body,
      created_at: at,
      updated_at: at,
      user: BOT,
    };
    state.comments.push(comment);
    return comment;
  }

  const notFound = (): HttpProblem =>
    new HttpProblem(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

  function validation(resource: string, field: string, code: string, message?: string): HttpProblem {
    const error: Record<string, unknown> = { resource, field, code };
    if (message !== undefined) error['message'] = message;
    return new HttpProblem(422, {
      message: 'Validation Failed',
      errors: [error],
      documentation_url: DOCS,
      status: '422',
    });
  }

  function checkBody(resource: string, body: unknown): string {
    if (typeof body !== 'string') throw validation(resource, 'body', 'missing_field');
    // GitHub counts characters, not UTF-16 code units; count code points like it does.
    if ([...body].length > GITHUB_BODY_LIMIT) {
      throw validation(
        resource,
        'body',
        'custom',
        `body is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`,
      );
    }
    return body;
  }

  const getIssue = (n: number): DoubleIssue => {
    const issue = state.issues.find((i) => i.number === n);
    if (!issue) throw notFound();
    return issue;
  };
  const getComment = (id: number): DoubleComment => {
    const comment = state.comments.find((c) => c.id === id);
    if (!comment) throw notFound();
    return comment;
  };

  /** Slices `items` like GitHub: per_page (max 100, default 30), page from 1, and a Link header. */
  function paginate<T>(res: ServerResponse, path: string, query: Record<string, string>, items: T[]): T[] {
    const perPage = Math.min(Math.max(Number(query['per_page'] ?? 30) || 30, 1), 100);
    const page = Math.max(Number(query['page'] ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (p: number): string => {
      const params = new URLSearchParams({ ...query, per_page: String(perPage), page: String(p) });
      return `${baseUrl}${path}?${params.toString()}`;
    };
    const rels: string[] = [];
    if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (rels.length > 0) res.setHeader('Link', rels.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  }

  type Handler = (ctx: {
    res: ServerResponse;
    path: string;
    query: Record<string, string>;
    body: Record<string, unknown>;
    params: string[];
  }) => { status: number; json?: unknown };

  const routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [];
  const route = (method: string, suffix: string, handler: Handler): void => {
    const escaped = repoPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    routes.push({ method, pattern: new RegExp(`^${escaped}${suffix}$`), handler });
  };

  route('GET', '/issues', ({ res, path, query }) => {
    const wanted = (query['labels'] ?? '').split(',').filter((l) => l !== '');
    const stateFilter = query['state'] ?? 'open';
    let found = state.issues.filter(
      (i) =>
        (stateFilter === 'all' || i.state === stateFilter) &&
        wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w.toLowerCase())),
    );
    // GitHub's default order: newest first.
    found = [...found].sort((a, b) => b.number - a.number);
    if (query['direction'] === 'asc') found.reverse();
    return { status: 200, json: paginate(res, path, query, found).map(issueJson) };
  });
  route('POST', '/issues', ({ body }) => {
    const title = body['title'];
    if (typeof title !== 'string' || title === '') throw validation('Issue', 'title', 'missing_field');
    const text = body['body'] === undefined ? null : checkBody('Issue', body['body']);
    const labels = Array.isArray(body['labels']) ? body['labels'].filter((l) => typeof l === 'string') : [];
    return { status: 201, json: issueJson(createIssue(title, text, labels)) };
  });
  route('GET', '/issues/(\\d+)', ({ params }) => ({
    status: 200,
    json: issueJson(getIssue(Number(params[0]))),
  }));
  route('PATCH', '/issues/(\\d+)', ({ params, body }) => {
    const issue = getIssue(Number(params[0]));
    if (body['body'] !== undefined) issue.body = checkBody('Issue', body['body']);
    if (typeof body['title'] === 'string') issue.title = body['title'];
    if (Array.isArray(body['labels'])) {
      issue.labels = body['labels'].filter((l) => typeof l === 'string').map((n) => ensureLabel(n).name);
    }
    const newState = body['state'];
    if (newState === 'open' || newState === 'closed') {
      if (newState !== issue.state) {
        issue.state = newState;
        issue.closed_at = newState === 'closed' ? now() : null;
        issue.state_reason =
          newState === 'closed'
            ? typeof body['state_reason'] === 'string'
              ? body['state_reason']
              : 'completed'
            : 'reopened';
      }
    } else if (newState !== undefined) {
      throw validation('Issue', 'state', 'invalid');
    }
    issue.updated_at = now();
    return { status: 200, json: issueJson(issue) };
  });
  route('GET', '/issues/(\\d+)/comments', ({ res, path, query, params }) => {
    const n = Number(params[0]);
    getIssue(n);
    const comments = state.comments.filter((c) => c.issue_number === n).sort((a, b) => a.id - b.id);
    return { status: 200, json: paginate(res, path, query, comments).map(commentJson) };
  });
  route('POST', '/issues/(\\d+)/comments', ({ params, body }) => {
    const n = Number(params[0]);
    getIssue(n);
    return { status: 201, json: commentJson(createComment(n, checkBody('IssueComment', body['body']))) };
  });
  route('PATCH', '/issues/comments/(\\d+)', ({ params, body }) => {
    const comment = getComment(Number(params[0]));
    comment.body = checkBody('IssueComment', body['body']);
    comment.updated_at = now();
    return { status: 200, json: commentJson(comment) };
  });
  route('DELETE', '/issues/comments/(\\d+)', ({ params }) => {
    const comment = getComment(Number(params[0]));
    state.comments.splice(state.comments.indexOf(comment), 1);
    return { status: 204 };
  });
  route('POST', '/issues/(\\d+)/labels', ({ params, body }) => {
    const issue = getIssue(Number(params[0]));
    const names = Array.isArray(body['labels']) ? body['labels'].filter((l) => typeof l === 'string') : [];
    if (names.length === 0) throw validation('Label', 'labels', 'missing_field');
    for (const name of names) {
      const label = ensureLabel(name);
      if (!issue.labels.includes(label.name)) issue.labels.push(label.name);
    }
    return { status: 200, json: issue.labels.map((n) => labelJson(ensureLabel(n))) };
  });
  route('GET', '/labels/([^/]+)', ({ params }) => {
    const label = findLabel(decodeURIComponent(params[0] ?? ''));
    if (!label) throw notFound();
    return { status: 200, json: labelJson(label) };
  });
  route('POST', '/labels', ({ body }) => {
    const name = body['name'];
    if (typeof name !== 'string' || name === '') throw validation('Label', 'name', 'missing_field');
    if (findLabel(name)) throw validation('Label', 'name', 'already_exists');
    const label: DoubleLabel = {
      id: nextId++,
      name,
      color: typeof body['color'] === 'string' ? body['color'] : 'ededed',
      description: typeof body['description'] === 'string' ? body['description'] : null,
    };
    state.labels.push(label);
    return { status: 201, json: labelJson(label) };
  });
  route('GET', '/pulls/(\\d+)/files', ({ res, path, query, params }) => {
    const files = state.pullFiles.get(Number(params[0]));
    if (!files) throw notFound();
    // GitHub stops listing at 3000 files, whatever the page.
    return { status: 200, json: paginate(res, path, query, files.slice(0, 3000)) };
  });

  function takeFault(method: string, path: string): Fault | undefined {
    const rule = faults.find(
      (f) =>
        f.times > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    if (!rule) return undefined;
    rule.times -= 1;
    return rule.fault;
  }

  function send(
    res: ServerResponse,
    status: number,
    json?: unknown,
    headers: Record<string, string> = {},
  ): void {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (json === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://double');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams.entries());
    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS });
        return;
      }
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] =
        name === 'authorization' ? '[present]' : Array.isArray(value) ? value.join(', ') : value;
    }
    requests.push({ method, path, query, headers, body });

    const fault = takeFault(method, path);
    if (fault?.kind === 'delay') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          delays.delete(timer);
          resolve();
        }, fault.ms);
        delays.set(timer, resolve);
      });
      if (closed) return;
    } else if (fault?.kind === 'status') {
      const message = fault.message ?? (fault.status === 401 ? 'Bad credentials' : 'Server Error');
      send(res, fault.status, { message, documentation_url: DOCS, status: String(fault.status) });
      return;
    } else if (fault?.kind === 'secondary-rate-limit') {
      send(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
      );
      return;
    } else if (fault?.kind === 'too-many-requests') {
      send(
        res,
        429,
        { message: 'Too Many Requests', documentation_url: DOCS },
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
      );
      return;
    }

    if (options.token !== undefined) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) {
        send(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
        return;
      }
    }

    const candidates = routes.filter((r) => r.pattern.test(path));
    const match = candidates.find((r) => r.method === method);
    if (!match) {
      send(res, candidates.length > 0 ? 405 : 404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    const params = (match.pattern.exec(path) ?? []).slice(1);
    const objectBody =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    try {
      const out = match.handler({ res, path, query, body: objectBody, params });
      send(res, out.status, out.json);
    } catch (error) {
      if (error instanceof HttpProblem) send(res, error.status, error.payload);
      else send(res, 500, { message: `double failed: ${String(error)}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `double failed: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    requests,
    state,
    inject(rule) {
      faults.push({ ...rule });
    },
    seedIssue({ title, body, labels = [], state: issueState = 'open' }) {
      const issue = createIssue(title, body, labels);
      if (issueState === 'closed') {
        issue.state = 'closed';
        issue.state_reason = 'completed';
        issue.closed_at = now();
      }
      return issue;
    },
    seedComment(issueNumber, body) {
      getIssue(issueNumber);
      return createComment(issueNumber, body);
    },
    seedPullFiles(pullNumber, files) {
      state.pullFiles.set(pullNumber, files);
      // GitHub numbers PRs and issues from one sequence.
      if (!state.issues.some((i) => i.number === pullNumber)) {
        const pr = createIssue(`PR #${pullNumber}`, null, []);
        pr.number = pullNumber;
        pr.pull_request = { url: `${baseUrl}${repoPrefix}/pulls/${pullNumber}` };
        nextNumber = Math.max(nextNumber, pullNumber + 1);
      }
    },
    async close() {
      closed = true;
      for (const [timer, resolve] of delays) {
        clearTimeout(timer);
        resolve();
      }
      delays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
