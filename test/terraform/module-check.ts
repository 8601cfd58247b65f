// Static checks of a Terraform root module, for where `terraform validate` cannot run (it needs the
// providers, and they cannot be downloaded here): its variables against the variables JSON
// hubfleet renders, and every resource type, data source, argument and nested block it uses
// against the providers' schemas (test/fixtures/terraform/provider-schema.json).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHcl, type HclBlock, type HclBody } from './hcl.js';
import { parseType, typeProblems, type TfType } from './variable-types.js';

export interface ModuleFile {
  /** Path as shown in problems (relative to the repository root). */
  file: string;
  body: HclBody;
}

export function loadModule(root: string, dir: string): ModuleFile[] {
  return readdirSync(join(root, dir))
    .filter((name) => name.endsWith('.tf'))
    .sort()
    .map((name) => {
      const file = `${dir}/${name}`;
      return { file, body: parseHcl(readFileSync(join(root, file), 'utf8'), file) };
    });
}

export interface DeclaredVariable {
  name: string;
  at: string;
  type: TfType;
  hasDefault: boolean;
  nullable: boolean;
}

export function declaredVariables(files: readonly ModuleFile[]): Map<string, DeclaredVariable> {
  const out = new Map<string, DeclaredVariable>();
  for (const { file, body } of files) {
    for (const block of body.blocks) {
      if (block.type !== 'variable') continue;
      const name = block.labels[0] as string;
      const attr = (n: string): string | undefined => block.body.attributes.find((a) => a.name === n)?.expr;
      const typeText = attr('type');
      out.set(name, {
        name,
        at: `${file}:${block.line}`,
        type: typeText === undefined ? { kind: 'any' } : parseType(typeText),
        hasDefault: attr('default') !== undefined,
        nullable: attr('nullable') !== 'false',
      });
    }
  }
  return out;
}

/** Every disagreement between a module's variables and one rendered variables JSON. */
export function variableProblems(
  variables: ReadonlyMap<string, DeclaredVariable>,
  tfvars: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(tfvars)) {
    const v = variables.get(name);
    if (v === undefined) {
      problems.push(`${name}: emitted by the renderer, no variable declares it`);
      continue;
    }
    if (value === null && !v.nullable)
      problems.push(`${name}: emitted as null, ${v.at} has nullable = false`);
    problems.push(...typeProblems(v.type, value, name).map((p) => `${p} (${v.at})`));
  }
  for (const v of variables.values()) {
    if (!v.hasDefault && !(v.name in tfvars)) problems.push(`${v.name}: required by ${v.at}, not emitted`);
  }
  return problems;
}

// ---- provider schema ----

/** a = arguments (1 = required); b = nested blocks (r = required, l = repeated, s = their schema). */
export interface SchemaBlock {
  a: Record<string, 0 | 1>;
  b: Record<string, { r: 0 | 1; l: 0 | 1; s: SchemaBlock }>;
}

/** What can be read: 0 a value with nothing inside to name, 1 a map (any key), or nested names. */
export type Readable = 0 | 1 | { [name: string]: Readable };

/** A resource type or data source: its block schema plus what can be read from it (`o`). */
export type SchemaType = SchemaBlock & { o: Record<string, Readable> };

export interface ProviderSchema {
  source: {
    package: string;
    packageVersion: string;
    provider: string;
    providerVersion: string;
    extractedAt: string;
  };
  allResourceTypes: string[];
  allDataSourceTypes: string[];
  provider: SchemaBlock;
  resources: Record<string, SchemaType>;
  dataSources: Record<string, SchemaType>;
}

export interface ProviderSchemas {
  providers: Record<string, ProviderSchema>;
}

const CONDITION: SchemaBlock = { a: { condition: 1, error_message: 1 }, b: {} };
const PRE_POST = {
  precondition: { r: 0, l: 1, s: CONDITION },
  postcondition: { r: 0, l: 1, s: CONDITION },
} as const;

/** Terraform's own meta-arguments (https://developer.hashicorp.com/terraform/language/meta-arguments). */
const RESOURCE_META: SchemaBlock = {
  a: { count: 0, for_each: 0, depends_on: 0, provider: 0 },
  b: {
    lifecycle: {
      r: 0,
      l: 0,
      s: {
        a: { create_before_destroy: 0, prevent_destroy: 0, ignore_changes: 0, replace_triggered_by: 0 },
        b: PRE_POST,
      },
    },
  },
};
const DATA_META: SchemaBlock = {
  a: { count: 0, for_each: 0, depends_on: 0, provider: 0 },
  b: { lifecycle: { r: 0, l: 0, s: { a: {}, b: PRE_POST } } },
};
const PROVIDER_META: SchemaBlock = { a: { alias: 0 }, b: {} };

function merged(meta: SchemaBlock, own: SchemaBlock): SchemaBlock {
  return { a: { ...own.a, ...meta.a }, b: { ...own.b, ...meta.b } };
}

function checkBody(
  body: HclBody,
  schema: SchemaBlock,
  at: string,
  /** file:line of the block, for what is missing from it */
  where: string,
  problems: string[],
): void {
  const file = where.replace(/:\d+$/, '');
  const seenBlocks = new Set<string>();
  for (const attr of body.attributes) {
    if (attr.name in schema.a) continue;
    if (attr.name in schema.b)
      problems.push(`${file}:${attr.line}: ${at}: ${attr.name} is a nested block; write ${attr.name} { … }`);
    else problems.push(`${file}:${attr.line}: ${at}: unknown argument "${attr.name}"`);
  }
  for (const block of body.blocks) {
    if (block.type === 'dynamic') {
      checkDynamic(block, schema, at, file, problems);
      seenBlocks.add(block.labels[0] ?? '');
      continue;
    }
    const nested = schema.b[block.type];
    if (nested === undefined) {
      if (block.type in schema.a)
        problems.push(`${file}:${block.line}: ${at}: ${block.type} is an argument; write ${block.type} = …`);
      else problems.push(`${file}:${block.line}: ${at}: unknown nested block "${block.type}"`);
      continue;
    }
    if (seenBlocks.has(block.type) && nested.l === 0)
      problems.push(`${file}:${block.line}: ${at}: ${block.type} may appear only once`);
    seenBlocks.add(block.type);
    if (block.labels.length > 0)
      problems.push(`${file}:${block.line}: ${at}: nested block ${block.type} takes no labels`);
    checkBody(block.body, nested.s, `${at}.${block.type}`, `${file}:${block.line}`, problems);
  }
  const present = new Set(body.attributes.map((a) => a.name));
  for (const [name, required] of Object.entries(schema.a)) {
    if (required === 1 && !present.has(name))
      problems.push(`${where}: ${at}: required argument "${name}" is missing`);
  }
  for (const [name, nested] of Object.entries(schema.b)) {
    if (nested.r === 1 && !seenBlocks.has(name))
      problems.push(`${where}: ${at}: required nested block "${name}" is missing`);
  }
}

function checkDynamic(
  block: HclBlock,
  schema: SchemaBlock,
  at: string,
  file: string,
  problems: string[],
): void {
  const name = block.labels[0];
  const nested = name === undefined ? undefined : schema.b[name];
  if (name === undefined || block.labels.length !== 1) {
    problems.push(`${file}:${block.line}: ${at}: dynamic takes one label, the nested block's name`);
    return;
  }
  if (nested === undefined) {
    problems.push(`${file}:${block.line}: ${at}: dynamic "${name}": unknown nested block "${name}"`);
    return;
  }
  const dynamicSchema: SchemaBlock = {
    a: { for_each: 1, iterator: 0, labels: 0 },
    b: { content: { r: 1, l: 0, s: nested.s } },
  };
  checkBody(block.body, dynamicSchema, `${at}.dynamic.${name}`, `${file}:${block.line}`, problems);
}

/** The provider a resource type belongs to: its name up to the first underscore. */
const providerOf = (type: string): string => type.split('_')[0] as string;

function checkTyped(
  block: HclBlock,
  kind: 'resource' | 'data',
  schemas: ProviderSchemas,
  file: string,
  problems: string[],
): void {
  const [type, name] = block.labels;
  if (type === undefined || name === undefined || block.labels.length !== 2) {
    problems.push(`${file}:${block.line}: ${kind} needs two labels, a type and a name`);
    return;
  }
  const provider = schemas.providers[providerOf(type)];
  const at = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
  if (provider === undefined) {
    problems.push(`${file}:${block.line}: ${at}: no schema for provider "${providerOf(type)}"`);
    return;
  }
  const own = kind === 'resource' ? provider.resources[type] : provider.dataSources[type];
  const all = kind === 'resource' ? provider.allResourceTypes : provider.allDataSourceTypes;
  const what = kind === 'resource' ? 'resource type' : 'data source';
  const version = `${providerOf(type)} ${provider.source.providerVersion}`;
  if (own === undefined) {
    problems.push(
      all.includes(type)
        ? `${file}:${block.line}: ${at}: ${what} ${type} is not in the extracted schema; run node scripts/extract-provider-schema.mjs`
        : `${file}:${block.line}: ${at}: ${version} has no ${what} ${type}`,
    );
    return;
  }
  // Provisioners and connections are free-form per provisioner type; a resource may have them.
  const body =
    kind === 'resource'
      ? {
          ...block.body,
          blocks: block.body.blocks.filter((b) => b.type !== 'provisioner' && b.type !== 'connection'),
        }
      : block.body;
  checkBody(
    body,
    merged(kind === 'resource' ? RESOURCE_META : DATA_META, own),
    at,
    `${file}:${block.line}`,
    problems,
  );
}

/** Every use of a resource type, data source, argument or nested block that the provider lacks. */
export function schemaProblems(files: readonly ModuleFile[], schemas: ProviderSchemas): string[] {
  const problems: string[] = [];
  const visit = (blocks: readonly HclBlock[], file: string): void => {
    for (const block of blocks) {
      if (block.type === 'resource') checkTyped(block, 'resource', schemas, file, problems);
      else if (block.type === 'data') checkTyped(block, 'data', schemas, file, problems);
      else if (block.type === 'check')
        visit(block.body.blocks, file); // scoped data sources
      else if (block.type === 'provider') {
        const name = block.labels[0] ?? '';
        const provider = schemas.providers[name];
        if (provider === undefined) problems.push(`${file}:${block.line}: no schema for provider "${name}"`);
        else
          checkBody(
            block.body,
            merged(PROVIDER_META, provider.provider),
            `provider.${name}`,
            `${file}:${block.line}`,
            problems,
          );
      }
    }
  };
  for (const { file, body } of files) visit(body.blocks, file);
  return problems;
}

// ---- references ----

/** Every expression of a body, nested blocks included. */
function expressions(body: HclBody): { expr: string; line: number }[] {
  return [
    ...body.attributes.map((a) => ({ expr: a.expr, line: a.line })),
    ...body.blocks.flatMap((b) => expressions(b.body)),
  ];
}

/**
 * References to variables, locals, resources and data sources that the module does not declare:
 * what `terraform validate` would report first, and what a renamed block leaves behind.
 */
export function referenceProblems(files: readonly ModuleFile[]): string[] {
  const declared = new Set<string>();
  const collect = (blocks: readonly HclBlock[]): void => {
    for (const b of blocks) {
      if (b.type === 'variable') declared.add(`var.${b.labels[0]}`);
      else if (b.type === 'locals') for (const a of b.body.attributes) declared.add(`local.${a.name}`);
      else if (b.type === 'resource') declared.add(`${b.labels[0]}.${b.labels[1]}`);
      else if (b.type === 'data') declared.add(`data.${b.labels[0]}.${b.labels[1]}`);
      else if (b.type === 'check') collect(b.body.blocks);
    }
  };
  for (const f of files) collect(f.body.blocks);
  const problems: string[] = [];
  const REF =
    /(?<![\w.-])(?:(var|local)\.([A-Za-z_][\w-]*)|data\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)|((?:google|aws)_[a-z0-9_]+)\.([A-Za-z_][\w-]*))/g;
  for (const { file, body } of files) {
    for (const { expr, line } of expressions(body)) {
      for (const m of expr.matchAll(REF)) {
        const ref =
          m[1] !== undefined
            ? `${m[1]}.${m[2]}`
            : m[3] !== undefined
              ? `data.${m[3]}.${m[4]}`
              : `${m[5]}.${m[6]}`;
        if (!declared.has(ref)) problems.push(`${file}:${line}: ${ref} is not declared in this module`);
      }
    }
  }
  return problems;
}

// ---- attribute reads ----

/** Skips a balanced [ … ] starting at `i` (strings respected); returns the index after it. */
function skipIndex(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j + 1;
  }
  return text.length;
}

/** The names read after a reference: `.a[0].b["k"].c` → [a, b, c] (index expressions skipped). */
function readChain(text: string, from: number): string[] {
  const names: string[] = [];
  let i = from;
  for (;;) {
    if (text[i] === '[') i = skipIndex(text, i);
    else if (text[i] === '.' && /[A-Za-z_*]/.test(text[i + 1] ?? '')) {
      const m = /^[A-Za-z_][\w-]*|^\*/.exec(text.slice(i + 1));
      if (m === null) return names;
      if (m[0] !== '*') names.push(m[0]);
      i += 1 + m[0].length;
    } else return names;
  }
}

/**
 * Reads of attributes a resource or data source does not have (`google_service_account.hub[k].emial`,
 * `data.aws_eks_cluster.this.identity[0].oidc[0].isuer`), checked against the getters of its
 * jsii class. `self.…` in a postcondition is checked against the enclosing block.
 */
export function attributeProblems(files: readonly ModuleFile[], schemas: ProviderSchemas): string[] {
  const problems: string[] = [];
  const typeOf = new Map<string, { kind: 'resource' | 'data'; type: string }>();
  const collect = (blocks: readonly HclBlock[]): void => {
    for (const b of blocks) {
      if (b.type === 'resource')
        typeOf.set(`${b.labels[0]}.${b.labels[1]}`, { kind: 'resource', type: b.labels[0] ?? '' });
      else if (b.type === 'data')
        typeOf.set(`data.${b.labels[0]}.${b.labels[1]}`, { kind: 'data', type: b.labels[0] ?? '' });
      else if (b.type === 'check') collect(b.body.blocks);
    }
  };
  for (const f of files) collect(f.body.blocks);
  const readableOf = (kind: 'resource' | 'data', type: string): Record<string, Readable> | undefined => {
    const provider = schemas.providers[providerOf(type)];
    return (kind === 'resource' ? provider?.resources[type] : provider?.dataSources[type])?.o;
  };
  const checkChain = (names: string[], root: Record<string, Readable>, ref: string, where: string): void => {
    let node: Readable = root;
    const path: string[] = [];
    for (const name of names) {
      if (node === 1) return; // a map: any key
      if (node === 0) {
        problems.push(`${where}: ${ref}.${path.join('.')} is a value; it has no attribute "${name}"`);
        return;
      }
      const next: Readable | undefined = node[name];
      if (next === undefined) {
        problems.push(
          `${where}: ${ref}${path.length ? `.${path.join('.')}` : ''} has no attribute "${name}"`,
        );
        return;
      }
      path.push(name);
      node = next;
    }
  };
  const REF =
    /(?<![\w.-])(?:data\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)|((?:google|aws)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)|(self))/g;
  const visit = (
    blocks: readonly HclBlock[],
    file: string,
    self?: { kind: 'resource' | 'data'; type: string; ref: string },
  ): void => {
    for (const block of blocks) {
      const own =
        block.type === 'resource' || block.type === 'data'
          ? {
              kind: block.type === 'data' ? ('data' as const) : ('resource' as const),
              type: block.labels[0] ?? '',
              ref:
                block.type === 'data'
                  ? `data.${block.labels[0]}.${block.labels[1]}`
                  : `${block.labels[0]}.${block.labels[1]}`,
            }
          : self;
      for (const attr of block.body.attributes) {
        for (const m of attr.expr.matchAll(REF)) {
          const end = (m.index ?? 0) + m[0].length;
          let target: { kind: 'resource' | 'data'; type: string; ref: string } | undefined;
          if (m[5] !== undefined) target = own;
          else {
            const ref = m[1] !== undefined ? `data.${m[1]}.${m[2]}` : `${m[3]}.${m[4]}`;
            const t = typeOf.get(ref);
            target = t && { ...t, ref };
          }
          if (target === undefined) continue; // undeclared: referenceProblems reports it
          const readable = readableOf(target.kind, target.type);
          if (readable === undefined) continue; // type unknown: schemaProblems reports it
          // The first index after a resource picks an instance (count / for_each); skip it.
          let from = end;
          if (m[5] === undefined && attr.expr[from] === '[') from = skipIndex(attr.expr, from);
          checkChain(readChain(attr.expr, from), readable, m[5] ?? target.ref, `${file}:${attr.line}`);
        }
      }
      visit(block.body.blocks, file, own);
    }
  };
  for (const { file, body } of files) visit(body.blocks, file);
  return problems;
}
