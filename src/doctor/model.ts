// `hubfleet doctor`: what one check found, and what a remote read can answer. The decisions
// (src/doctor/*-checks.ts) are pure functions from these facts to a CheckResult; the runner
// (src/doctor/run.ts) gathers the facts through the adapters.

/**
 * The stable ids of the checks. The bootstrap guide and terraform/bootstrap name them, and
 * `--format json` carries them, so they never change meaning.
 */
export const CHECK_IDS = [
  'apis',
  'state-bucket',
  'wif-provider',
  'dns-delegation',
  'hub-dns',
  'smoke-identity',
  'vpc-sc-perimeter',
  'restricted-apis-dns',
  'github-labels',
  'github-environments',
  'github-secrets',
  'runners',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/**
 * pass: checked and fine. fail: checked and broken (exit 1), with the fix. skip: could not be
 * checked (no credentials, the credentials may not read it, or not checked for this provider);
 * the message says why and what to set. A skip never counts as a pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: CheckId;
  /** The cluster a check is about, or `repository` for the fleet-wide GitHub checks. */
  scope: string;
  status: CheckStatus;
  message: string;
  /** What to do: for a failure always, for a skip the setting or permission that is missing. */
  fix?: string;
}

/**
 * The answer to one read of a remote system, as data: a 404 (`missing`) and a refusal (`denied`:
 * 401/403) are answers a check decides on, not exceptions.
 */
export type Fetched<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'missing' }
  | { kind: 'denied'; status: number; message: string }
  | { kind: 'error'; message: string };

export const pass = (id: CheckId, scope: string, message: string): CheckResult => ({
  id,
  scope,
  status: 'pass',
  message,
});

export const fail = (id: CheckId, scope: string, message: string, fix: string): CheckResult => ({
  id,
  scope,
  status: 'fail',
  message,
  fix,
});

export const skip = (id: CheckId, scope: string, message: string, fix: string): CheckResult => ({
  id,
  scope,
  status: 'skip',
  message: `skipped: ${message}`,
  fix,
});

export type Unanswered = Extract<Fetched<unknown>, { kind: 'denied' | 'error' }>;

export const isUnanswered = (fetched: Fetched<unknown>): fetched is Unanswered =>
  fetched.kind === 'denied' || fetched.kind === 'error';

/**
 * The common answers for a read that did not return its object: denied → skip (the credentials
 * lack a permission, named in `permission`), error → fail (the system could not be asked).
 * `ok` and `missing` each check decides itself.
 */
export function unanswered(
  id: CheckId,
  scope: string,
  what: string,
  fetched: Unanswered,
  permission: string,
): CheckResult {
  if (fetched.kind === 'denied') {
    return skip(
      id,
      scope,
      `the credentials may not read ${what} (HTTP ${fetched.status}: ${fetched.message})`,
      permission,
    );
  }
  return fail(
    id,
    scope,
    `could not read ${what}: ${fetched.message}`,
    'check the network path to the API (proxy, Private Google Access) and re-run',
  );
}
