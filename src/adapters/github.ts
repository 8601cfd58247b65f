// The GitHub adapter: the only place that talks to the GitHub REST API. It owns the octokit client,
// retries (5xx, secondary rate limits), per-request timeouts and turning failures into a
// HubfleetError a person can act on. Reports use it through the small `GitHubClient` interface.
import { getOctokit } from '@actions/github';
import { HubfleetError } from '../errors.js';
import { backoffDelay } from '../retry/backoff.js';

export interface IssueComment {
  id: number;
  body: string;
  createdAt: string;
  htmlUrl: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  createdAt: string;
  htmlUrl: string;
}

export interface PullRequestFile {
  filename: string;
  status: string;
  previousFilename?: string;
}

/** The calls hubfleet's reports make; tests of pure logic may implement it in memory. */
export interface GitHubClient {
  /** owner/name */
  readonly repository: string;
  listIssueComments(issueNumber: number): Promise<IssueComment[]>;
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>;
  deleteIssueComment(commentId: number): Promise<void>;
  /** Issues (not pull requests) carrying `label`, open and closed. */
  listIssuesByLabel(label: string): Promise<Issue[]>;
  createIssue(args: { title: string; body: string; labels: string[] }): Promise<Issue>;
  updateIssue(
    issueNumber: number,
    patch: {
      title?: string;
      body?: string;
      state?: 'open' | 'closed';
      stateReason?: 'completed' | 'not_planned';
    },
  ): Promise<Issue>;
  addLabels(issueNumber: number, labels: string[]): Promise<void>;
  /** Creates the label unless it exists (also when another run creates it at the same moment). */
  ensureLabel(name: string, opts?: { color?: string; description?: string }): Promise<void>;
  /** Every file of the pull request (GitHub lists at most 3000). */
  listPullRequestFiles(pullNumber: number): Promise<PullRequestFile[]>;
}

export interface GitHubClientOptions {
  token: string;
  repository: string;
  apiUrl?: string;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  log?: (message: string) => void;
  /** Per attempt; a hung connection must not hold a runner until the job timeout. */
  timeoutMs?: number;
}

/** A GitHub call that failed, with the HTTP status when there was one. */
export class GitHubApiError extends HubfleetError {
  readonly status: number | undefined;
  constructor(message: string, hint: string, status: number | undefined, cause?: unknown) {
    super(message, cause === undefined ? { hint } : { hint, cause });
    this.status = status;
  }
}

const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Longer waits than this are not worth holding a runner for; fail and say when to retry. */
const MAX_WAIT_MS = 120_000;
/** GitHub: without Retry-After, wait at least a minute after a secondary rate limit. */
const SECONDARY_DEFAULT_WAIT_MS = 60_000;

export interface FailureFacts {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

/**
 * How long to wait before retrying a failed attempt (1-based), or undefined when retrying cannot
 * help. Pure, so the policy is tested as a table.
 */
export function retryDelayMs(f: FailureFacts, attempt: number): number | undefined {
  const retryAfter = parseRetryAfter(f.headers['retry-after']);
  const secondary = /secondary rate limit/i.test(f.message);
  const primaryExhausted = String(f.headers['x-ratelimit-remaining']) === '0';
  let wait: number | undefined;
  if ((f.status === 403 || f.status === 429) && retryAfter !== undefined) wait = retryAfter;
  else if (f.status === 403 && secondary) wait = SECONDARY_DEFAULT_WAIT_MS;
  // The primary hourly quota resets within the hour; waiting that long is the caller's call.
  else if (primaryExhausted) wait = undefined;
  else if (f.status === 429 || f.status >= 500) wait = retryAfter ?? backoffDelay({ baseMs: 1000 }, attempt);
  if (wait === undefined || wait > MAX_WAIT_MS) return undefined;
  return wait;
}

function parseRetryAfter(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined;
}

interface ErrorFacts {
  status: number | undefined;
  headers: Record<string, string | number | undefined>;
  message: string;
  details: string[];
}

/** What an octokit RequestError (or a network failure) says, read without trusting its shape. */
function readError(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { status: undefined, headers: {}, message: String(error), details: [] };
  if (typeof error !== 'object' || error === null) return facts;
  const e = error as { status?: unknown; message?: unknown; response?: unknown };
  if (typeof e.status === 'number') facts.status = e.status;
  if (typeof e.message === 'string') facts.message = e.message;
  if (typeof e.response === 'object' && e.response !== null) {
    const r = e.response as { headers?: unknown; data?: unknown };
    if (typeof r.headers === 'object' && r.headers !== null) {
      facts.headers = r.headers as Record<string, string | number | undefined>;
    }
    if (typeof r.data === 'object' && r.data !== null) {
      const d = r.data as { message?: unknown; errors?: unknown };
      if (typeof d.message === 'string') facts.message = d.message;
      if (Array.isArray(d.errors)) {
        for (const item of d.errors as unknown[]) {
          if (typeof item === 'string') facts.details.push(item);
          else if (typeof item === 'object' && item !== null) {
            const i = item as { field?: unknown; code?: unknown; message?: unknown };
            const text = typeof i.message === 'string' ? i.message : `${String(i.field)} ${String(i.code)}`;
            facts.details.push(text);
          }
        }
      }
    }
  } else {
    // No response: the request never completed (DNS, refused connection, timeout).
    facts.status = undefined;
    const cause = (error as { cause?: unknown }).cause;
    const causeMessage =
      typeof cause === 'object' && cause !== null ? (cause as { message?: unknown }).message : undefined;
    // octokit says "Unknown Error" for errors from another realm; the cause says what happened.
    if (facts.message === 'Unknown Error' && typeof causeMessage === 'string') facts.message = causeMessage;
  }
  return facts;
}

const attemptsMade = new WeakMap<object, number>();
// Errors of attempts cut off by our timeout (their own message varies by fetch implementation).
const timedOut = new WeakSet<object>();

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(opts.repository);
  if (!match) {
    throw new HubfleetError(`GitHub repository "${opts.repository}" is not in owner/name form`, {
      hint: 'pass the repository as owner/name (in a workflow: ${{ github.repository }})',
    });
  }
  const owner = match[1] ?? '';
  const repo = match[2] ?? '';
  const apiUrl = (opts.apiUrl ?? process.env['GITHUB_API_URL'] ?? 'https://api.github.com').replace(
    /\/+$/,
    '',
  );
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = opts.log ?? ((): void => undefined);
  const token = opts.token;

  // Only the token is secret; scrub it from anything we produce, whatever GitHub echoed back.
  const scrub = (text: string): string => (token === '' ? text : text.split(token).join('***'));

  const octokit = getOctokit(token, { baseUrl: apiUrl });

  octokit.hook.wrap('request', async (request, options) => {
    const what = `${options.method} ${options.url}`;
    for (let attempt = 1; ; attempt++) {
      try {
        // Hooks registered earlier (auth) are bound to this very object, so set the signal on it.
        options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
        return await request(options);
      } catch (error) {
        if (options.request.signal?.aborted === true && typeof error === 'object' && error !== null) {
          timedOut.add(error);
        }
        const facts = readError(error);
        if (typeof error === 'object' && error !== null && timedOut.has(error))
          facts.message = `no answer within ${timeoutMs / 1000}s`;
        const wait =
          attempt < maxAttempts
            ? retryDelayMs(
                { status: facts.status ?? 500, headers: facts.headers, message: facts.message },
                attempt,
              )
            : undefined;
        if (wait === undefined) {
          if (typeof error === 'object' && error !== null) attemptsMade.set(error, attempt);
          throw error;
        }
        const why = facts.status === undefined ? scrub(facts.message) : `HTTP ${facts.status}`;
        log(`GitHub ${what}: ${why}; retrying in ${wait / 1000}s (attempt ${attempt + 1} of ${maxAttempts})`);
        await sleep(wait);
      }
    }
  });

  function translate(operation: string, error: unknown): GitHubApiError {
    const facts = readError(error);
    if (typeof error === 'object' && error !== null && timedOut.has(error)) {
      facts.message = `no answer within ${timeoutMs / 1000}s`;
    }
    const attempts = typeof error === 'object' && error !== null ? (attemptsMade.get(error) ?? 1) : 1;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const detail = facts.details.length > 0 ? ` (${facts.details.join('; ')})` : '';
    const status = facts.status;
    const what =
      status === undefined
        ? `GitHub ${operation} failed${tries}: could not reach ${apiUrl}: ${facts.message}`
        : `GitHub ${operation} failed${tries}: HTTP ${status} ${facts.message}${detail}`;
    let hint: string;
    const reset = Number(facts.headers['x-ratelimit-reset']);
    if (status === undefined) {
      hint = `check GITHUB_API_URL (${apiUrl}), the runner's network and any HTTPS_PROXY, then re-run the job`;
    } else if (status === 401) {
      hint = 'the token was rejected; pass a valid token (the job’s GITHUB_TOKEN or a GitHub App token)';
    } else if ((status === 403 || status === 429) && String(facts.headers['x-ratelimit-remaining']) === '0') {
      const when =
        Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : 'the next hour';
      hint = `the token's API rate limit is used up; re-run after ${when} or spread the jobs out`;
    } else if (status === 429 || (status === 403 && /rate limit/i.test(facts.message))) {
      hint = 'GitHub kept rate-limiting this job; re-run it later or lower the number of parallel jobs';
    } else if (status === 403) {
      hint =
        'the token lacks permission; give the job `permissions: issues: write, pull-requests: write` (or the App those scopes)';
    } else if (status === 404) {
      hint = `check that ${owner}/${repo} and the issue, comment or label exist and the token can see the repository`;
    } else if (status === 422) {
      hint =
        'GitHub rejected the content; the details above say which field (bodies are limited to 65,536 characters)';
    } else if (status >= 500) {
      hint = 'GitHub kept failing; check https://www.githubstatus.com and re-run the job';
    } else {
      hint = 'see the GitHub message above';
    }
    return new GitHubApiError(scrub(what), scrub(hint), status);
  }

  async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw translate(operation, error);
    }
  }

  const where = `${owner}/${repo}`;
  return {
    repository: where,
    listIssueComments: (issueNumber) =>
      call(`list comments of ${where}#${issueNumber}`, async () => {
        const items = await octokit.paginate(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: 100,
        });
        return items.map(toComment);
      }),
    createIssueComment: (issueNumber, body) =>
      call(`create a comment on ${where}#${issueNumber}`, async () => {
        const { data } = await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issueNumber,
          body,
        });
        return toComment(data);
      }),
    updateIssueComment: (commentId, body) =>
      call(`update comment ${commentId} in ${where}`, async () => {
        const { data } = await octokit.rest.issues.updateComment({
          owner,
          repo,
          comment_id: commentId,
          body,
        });
        return toComment(data);
      }),
    deleteIssueComment: (commentId) =>
      call(`delete comment ${commentId} in ${where}`, async () => {
        await octokit.rest.issues.deleteComment({ owner, repo, comment_id: commentId });
      }),
    listIssuesByLabel: (label) =>
      call(`list issues labelled "${label}" in ${where}`, async () => {
        const items = await octokit.paginate(octokit.rest.issues.listForRepo, {
          owner,
          repo,
          labels: label,
          state: 'all',
          per_page: 100,
        });
        // The issues endpoint lists pull requests too.
        return items.filter((i) => i.pull_request === undefined).map(toIssue);
      }),
    createIssue: ({ title, body, labels }) =>
      call(`create an issue in ${where}`, async () => {
        const { data } = await octokit.rest.issues.create({ owner, repo, title, body, labels });
        return toIssue(data);
      }),
    updateIssue: (issueNumber, patch) =>
      call(`update ${where}#${issueNumber}`, async () => {
        const { data } = await octokit.rest.issues.update({
          owner,
          repo,
          issue_number: issueNumber,
          ...(patch.title === undefined ? {} : { title: patch.title }),
          ...(patch.body === undefined ? {} : { body: patch.body }),
          ...(patch.state === undefined ? {} : { state: patch.state }),
          ...(patch.stateReason === undefined ? {} : { state_reason: patch.stateReason }),
        });
        return toIssue(data);
      }),
    addLabels: (issueNumber, labels) =>
      call(`add labels to ${where}#${issueNumber}`, async () => {
        await octokit.rest.issues.addLabels({ owner, repo, issue_number: issueNumber, labels });
      }),
    ensureLabel: (name, labelOpts = {}) =>
      call(`create label "${name}" in ${where}`, async () => {
        try {
          await octokit.rest.issues.getLabel({ owner, repo, name });
          return;
        } catch (error) {
          if (readError(error).status !== 404) throw error;
        }
        try {
          await octokit.rest.issues.createLabel({
            owner,
            repo,
            name,
            color: labelOpts.color ?? 'b60205',
            ...(labelOpts.description === undefined ? {} : { description: labelOpts.description }),
          });
        } catch (error) {
          // Another run created it between our check and our create: that is the goal reached.
          const facts = readError(error);
          if (!(facts.status === 422 && facts.details.some((d) => /already_exists/.test(d)))) throw error;
        }
      }),
    listPullRequestFiles: (pullNumber) =>
      call(`list files of pull request ${where}#${pullNumber}`, async () => {
        const items = await octokit.paginate(octokit.rest.pulls.listFiles, {
          owner,
          repo,
          pull_number: pullNumber,
          per_page: 100,
        });
        return items.map((f) => ({
          filename: f.filename,
          status: f.status,
          ...(f.previous_filename === undefined ? {} : { previousFilename: f.previous_filename }),
        }));
      }),
  };
}

function toComment(c: { id: number; body?: string; created_at: string; html_url: string }): IssueComment {
  return { id: c.id, body: c.body ?? '', createdAt: c.created_at, htmlUrl: c.html_url };
}

function toIssue(i: {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string }>;
  created_at: string;
  html_url: string;
}): Issue {
  return {
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'closed' ? 'closed' : 'open',
    labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    createdAt: i.created_at,
    htmlUrl: i.html_url,
  };
}
