// Exponential backoff, the one formula behind every retry and reconnect loop (kubectl, the Compute
// and GitHub APIs, smoke-iap's probes, the certificate watch). Pure: randomness and the clock come
// from the caller, so each loop's waits are tested exactly.

export interface Backoff {
  /** The wait after the first failure. */
  baseMs: number;
  /** Growth per further failure; default 2 (doubling). */
  factor?: number;
  /** No wait is longer than this; default no cap. */
  maxMs?: number;
  /**
   * Full jitter: the wait is a uniform draw below the exponential ceiling, rounded to whole
   * milliseconds, so many runners retrying one server spread out. The source returns numbers in
   * [0, 1) like Math.random. Without it the wait is the ceiling itself.
   */
  random?: () => number;
}

/** The wait after `failed` failed attempts (1-based): min(maxMs, baseMs·factor^(failed−1)), jittered when asked. */
export function backoffDelay(policy: Backoff, failed: number): number {
  const ceiling = Math.min(
    policy.maxMs ?? Number.POSITIVE_INFINITY,
    policy.baseMs * (policy.factor ?? 2) ** Math.max(0, failed - 1),
  );
  return policy.random === undefined ? ceiling : Math.round(policy.random() * ceiling);
}

export interface BudgetCheck {
  /** The time the retries of one operation may take in all. */
  budgetMs: number;
  /** Time already spent on it. */
  spentMs: number;
  /** The wait before the next attempt. */
  waitMs: number;
  /**
   * Whether the next attempt may start exactly when the budget ends. kubectl allows it (its
   * budget bounds the waiting); smoke-iap does not (no attempt starts once the budget has passed).
   */
  mayStartAtEnd: boolean;
}

/** Whether waiting `waitMs` and then trying again stays inside the budget. */
export function waitFitsBudget(check: BudgetCheck): boolean {
  const nextStart = check.spentMs + check.waitMs;
  return check.mayStartAtEnd ? nextStart <= check.budgetMs : nextStart < check.budgetMs;
}
