/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the input order in the
 * result. A rejection does not stop the others: each result says whether its call failed, so one
 * broken hub never hides the rest of the fleet's report.
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<Settled<R>[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<Settled<R>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = { ok: true, value: await fn(items[index] as T, index) };
      } catch (error: unknown) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}
