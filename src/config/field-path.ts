// Field paths as people read them (`values.proxy.service.annotations["cloud.google.com/backend-config"]`)
// and short descriptions of YAML values for "(got …)" in messages.

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Dotted path; list indices as `[0]`, keys that are not identifiers as `["a.b/c"]`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** An ajv instancePath (JSON Pointer) as segments; indices become numbers where the data is a list. */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^[0-9]+$/.test(key)) {
      const index = Number(key);
      path.push(index);
      node = node[index] as unknown;
    } else {
      path.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return path;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when any step is missing or not a container. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let node = data;
  for (const seg of path) {
    if (typeof seg === 'number') node = Array.isArray(node) ? (node[seg] as unknown) : undefined;
    else node = isRecord(node) ? node[seg] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

export function hasKey(data: unknown, key: string): boolean {
  return isRecord(data) && Object.prototype.hasOwnProperty.call(data, key);
}

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export function jsonType(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return 'object';
}

const MAX_SHOWN = 60;

/** `"latest"`, `42`, `a list`, `a mapping`, `an empty value` — what the user wrote, briefly. */
export function describeValue(value: unknown): string {
  switch (jsonType(value)) {
    case 'null':
      return 'an empty value';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'string': {
      const text = JSON.stringify(value);
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 2)}…"` : text;
    }
    default:
      return String(value);
  }
}

/** "a string", "a mapping", … for a JSON Schema `type`. */
export function describeType(type: unknown): string {
  const names: Record<string, string> = {
    string: 'a string',
    object: 'a mapping',
    array: 'a list',
    boolean: 'true or false',
    integer: 'a whole number',
    number: 'a number',
    null: 'empty (null)',
  };
  if (Array.isArray(type)) return type.map((t) => describeType(t)).join(' or ');
  return typeof type === 'string' ? (names[type] ?? type) : 'a value of another type';
}
