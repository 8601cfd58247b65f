// Helm's merge rule for values files, which is what a hub's `values:` override means: objects merge
// key by key, everything else (arrays, scalars, null) replaces what was there.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own data property; a YAML key "__proto__" must stay data, not replace the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, clone(item));
    return out;
  }
  return value;
}

/** A new object: `override` deep-merged onto `base`; neither input is modified or shared. */
export function deepMerge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out = clone(base) as Record<string, unknown>;
  for (const [key, item] of Object.entries(override)) {
    const current = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setOwn(out, key, isRecord(current) && isRecord(item) ? deepMerge(current, item) : clone(item));
  }
  return out;
}

/** The value at `path`, or undefined when any step is missing or not an object. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = current[key];
  }
  return current;
}
