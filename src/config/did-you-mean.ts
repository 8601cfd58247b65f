// "did you mean …?" for unknown keys: the closest allowed key by edit distance.

/** Damerau (optimal string alignment) distance, so a swapped pair of letters counts as one typo. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The allowed key closest to `key`, if it is close enough to be a likely typo: case, "-" and "_"
 * differences are free (snake_case for camelCase), a key cut short matches the full one, and at
 * most a third of the key's letters may differ otherwise (minimum 1, maximum 3).
 */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  const normal = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const lower = normal(key);
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const other = normal(candidate);
    // A truncated key ("deleteAfter" for "deleteAfterDays") is a likely slip, however many letters are missing.
    const truncated = lower.length >= 4 && (other.startsWith(lower) || lower.startsWith(other));
    const distance = truncated ? Math.min(limit, editDistance(lower, other)) : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
