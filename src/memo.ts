// Answers of a pure function of a string, kept per process: a fleet repeats the same keys, names
// and snippets thousands of times, and working each out once was measurable in a cold 1,000-hub
// run (decisions 0070, 0082). The table is emptied when it reaches `limit`, so a hostile fleet of
// distinct strings costs memory no more than the limit allows.

/** `compute` remembered per argument (at most `limit` at once); `compute` must be pure. */
export function memoized<T>(compute: (key: string) => T, limit = 10_000): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    const value = known.get(key);
    // `has` only for an undefined answer (or none): one lookup for the rest.
    if (value !== undefined || known.has(key)) return value as T;
    const computed = compute(key);
    if (known.size >= limit) known.clear();
    known.set(key, computed);
    return computed;
  };
}
