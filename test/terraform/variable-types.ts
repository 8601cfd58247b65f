// Terraform type constraints (`type = map(object({ … }))`), parsed from the source text of a
// variable's `type` attribute, and a strict check of a JSON value (what `hubfleet render` writes)
// against them. Strict on purpose: Terraform would convert 7 to "7" and drop object attributes the
// type does not declare; here both are reported, because either means the renderer and the module
// disagree about the contract.

export type TfType =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TfType }
  | { kind: 'tuple'; elements: TfType[] }
  | { kind: 'object'; attributes: Record<string, { type: TfType; optional: boolean }> };

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_-]*)|("(?:[^"\\]|\\.)*")|(-?[0-9][0-9.eE+-]*)|([(){}[\],=:]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m)
      throw new Error(`cannot read type expression near ${JSON.stringify(text.slice(TOKEN.lastIndex))}`);
    tokens.push((m[1] ?? m[2] ?? m[3] ?? m[4]) as string);
  }
  return tokens;
}

export function parseType(text: string): TfType {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const expect = (t: string): void => {
    if (tokens[i] !== t) throw new Error(`type ${text}: expected ${t}, found ${tokens[i] ?? 'end'}`);
    i++;
  };
  /** Skips a default value inside optional(…, default): balanced tokens up to the closing paren. */
  const skipValue = (): void => {
    let depth = 0;
    while (i < tokens.length) {
      const t = tokens[i] as string;
      if (depth === 0 && (t === ')' || t === ',')) return;
      if (t === '(' || t === '[' || t === '{') depth++;
      if (t === ')' || t === ']' || t === '}') depth--;
      i++;
    }
  };
  const type = (): TfType => {
    const name = tokens[i++];
    switch (name) {
      case 'string':
      case 'number':
      case 'bool':
      case 'any':
        return { kind: name };
      case 'list':
      case 'set':
      case 'map': {
        expect('(');
        const element = type();
        expect(')');
        return { kind: name, element };
      }
      case 'tuple': {
        expect('(');
        expect('[');
        const elements: TfType[] = [];
        while (peek() !== ']') {
          elements.push(type());
          if (peek() === ',') i++;
        }
        expect(']');
        expect(')');
        return { kind: 'tuple', elements };
      }
      case 'object': {
        expect('(');
        expect('{');
        const attributes: Record<string, { type: TfType; optional: boolean }> = {};
        while (peek() !== '}') {
          const attr = tokens[i++] as string;
          const key = attr.startsWith('"') ? (JSON.parse(attr) as string) : attr;
          if (peek() === '=' || peek() === ':') i++;
          else throw new Error(`type ${text}: expected = after ${key}`);
          if (peek() === 'optional') {
            i++;
            expect('(');
            const inner = type();
            if (peek() === ',') {
              i++;
              skipValue();
            }
            expect(')');
            attributes[key] = { type: inner, optional: true };
          } else attributes[key] = { type: type(), optional: false };
          if (peek() === ',') i++;
        }
        expect('}');
        expect(')');
        return { kind: 'object', attributes };
      }
      default:
        throw new Error(`type ${text}: unknown type ${name ?? '(nothing)'}`);
    }
  };
  const result = type();
  if (i !== tokens.length) throw new Error(`type ${text}: unexpected ${tokens[i]}`);
  return result;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every way `value` does not fit `type`, as `<path>: <problem>` lines. Null fits any type (a
 * nullable variable, or an object attribute set to null); the caller checks `nullable = false`.
 */
export function typeProblems(type: TfType, value: unknown, path: string): string[] {
  if (value === null) return [];
  const got = kindOf(value);
  switch (type.kind) {
    case 'any':
      return [];
    case 'string':
    case 'number':
      return got === type.kind ? [] : [`${path}: expected ${type.kind}, got ${got}`];
    case 'bool':
      return got === 'boolean' ? [] : [`${path}: expected bool, got ${got}`];
    case 'list':
    case 'set':
      if (!Array.isArray(value)) return [`${path}: expected ${type.kind}, got ${got}`];
      return value.flatMap((v, n) => typeProblems(type.element, v, `${path}[${n}]`));
    case 'tuple':
      if (!Array.isArray(value)) return [`${path}: expected tuple, got ${got}`];
      if (value.length !== type.elements.length)
        return [`${path}: expected a tuple of ${type.elements.length}, got ${value.length} elements`];
      return value.flatMap((v, n) => typeProblems(type.elements[n] as TfType, v, `${path}[${n}]`));
    case 'map':
      if (!isRecord(value)) return [`${path}: expected map, got ${got}`];
      return Object.entries(value).flatMap(([k, v]) =>
        typeProblems(type.element, v, `${path}[${JSON.stringify(k)}]`),
      );
    case 'object': {
      if (!isRecord(value)) return [`${path}: expected object, got ${got}`];
      const problems: string[] = [];
      for (const [key, attr] of Object.entries(type.attributes)) {
        if (!(key in value)) {
          if (!attr.optional) problems.push(`${path}.${key}: required by the module, not emitted`);
        } else problems.push(...typeProblems(attr.type, value[key], `${path}.${key}`));
      }
      for (const key of Object.keys(value)) {
        if (!(key in type.attributes)) problems.push(`${path}.${key}: emitted, not declared by the module`);
      }
      return problems;
    }
  }
}
