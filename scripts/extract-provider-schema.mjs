#!/usr/bin/env node
// Extracts a compact, machine-readable schema of the Terraform providers the root modules use
// (terraform/gcp: google, terraform/aws: aws) into test/fixtures/terraform/provider-schema.json.
//
// Why: providers cannot be downloaded on the runners that test this repository, so `terraform
// validate` cannot load them. The prebuilt CDKTF provider packages ship a jsii assembly (`.jsii`)
// generated from the provider's own schema; every argument's docs link to the Terraform Registry
// with the real argument name as the anchor, e.g.
//   {@link https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/compute_global_address#name ...}
// and every nested block is documented as "<name> block.".
//
// Run it once whenever a module starts using a resource type or data source that the committed
// schema lacks, or to move to a newer provider release:
//   node scripts/extract-provider-schema.mjs
// The packages are fetched with `npm pack` into a temporary directory; they are never added to
// package.json (they are ~35 MB each and only this script reads them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(root, 'test/fixtures/terraform/provider-schema.json');

/** name in Terraform → the prebuilt package that ships its schema, and the modules using it. */
const PROVIDERS = [
  {
    name: 'google',
    pkg: '@cdktf/provider-google',
    version: '16.12.1',
    modules: ['terraform/gcp', 'terraform/bootstrap/gcp'],
  },
  {
    name: 'aws',
    pkg: '@cdktf/provider-aws',
    version: '21.22.1',
    modules: ['terraform/aws', 'terraform/bootstrap/aws'],
  },
];

const REGISTRY_LINK =
  /\{@link https:\/\/registry\.terraform\.io\/providers\/[^/]+\/([^/]+)\/([^/]+)\/docs(?:\/(resources|data-sources)\/([a-z0-9_]+))?(?:#([a-z0-9_]+))? ([A-Za-z0-9_#]+)\}/;

function tfFilesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...tfFilesUnder(path));
    else if (entry.endsWith('.tf')) out.push(path);
  }
  return out;
}

/** Resource and data source types the modules declare (top-level, and data sources scoped in a check block). */
function typesUsed(modules) {
  const resources = new Set();
  const dataSources = new Set();
  for (const mod of modules) {
    for (const file of tfFilesUnder(join(root, mod))) {
      // `  data` at two spaces: a data source scoped inside a check block (terraform fmt indents it).
      for (const m of readFileSync(file, 'utf8').matchAll(/^(resource|data| {2}data)\s+"([a-z0-9_]+)"/gm)) {
        (m[1] === 'resource' ? resources : dataSources).add(m[2]);
      }
    }
  }
  return { resources: [...resources].sort(), dataSources: [...dataSources].sort() };
}

function readAssembly(dir) {
  const raw = JSON.parse(readFileSync(join(dir, '.jsii'), 'utf8'));
  // Large assemblies may be stored compressed behind a redirect file (jsii "file-redirect").
  if (raw.schema === 'jsii/file-redirect') {
    const body = readFileSync(join(dir, raw.filename));
    return JSON.parse((raw.compression === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
  }
  return raw;
}

function docsLink(docs) {
  const text = `${docs?.summary ?? ''}\n${docs?.remarks ?? ''}`;
  const m = REGISTRY_LINK.exec(text);
  if (!m) return undefined;
  // A class's link text is the Terraform type name (google_compute_global_address); the page name
  // in the URL drops the provider prefix (compute_global_address).
  return { providerVersion: m[2], kind: m[3], type: m[6], argument: m[5] };
}

/** The struct a property's type names: T, T[], or IResolvable | T[] (how cdktf types blocks). */
function structOf(type) {
  if (type.fqn !== undefined && type.fqn !== 'cdktf.IResolvable') return { fqn: type.fqn, list: false };
  if (type.collection?.kind === 'array' && type.collection.elementtype.fqn !== undefined) {
    const fqn = type.collection.elementtype.fqn;
    return fqn === 'cdktf.IResolvable' ? undefined : { fqn, list: true };
  }
  for (const member of type.union?.types ?? []) {
    const found = structOf(member);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Compact block schema: `{ a: { arg: 1 | 0 }, b: { block: { r: 1 | 0, l: 1 | 0, s: <block> } } }`.
 * a = arguments (1 = required), b = nested blocks (r = required, l = list/set nesting, s = schema).
 * A struct-typed property not documented as "<name> block." is an object-typed argument.
 */
function compactBlock(types, fqn, depth = 0) {
  if (depth > 12) throw new Error(`nesting deeper than 12 at ${fqn}`);
  const struct = types[fqn];
  if (struct === undefined) throw new Error(`type ${fqn} not in the assembly`);
  const a = {};
  const b = {};
  for (const prop of struct.properties ?? []) {
    const link = docsLink(prop.docs);
    // Meta-arguments (count, for_each, depends_on, lifecycle, provider, …) come from cdktf's base
    // interfaces and have no registry link; the checker knows them itself.
    if (link?.argument === undefined) continue;
    const required = prop.optional === true ? 0 : 1;
    const struct = structOf(prop.type);
    const isBlock = struct !== undefined && prop.docs?.summary === `${link.argument} block.`;
    if (isBlock) {
      b[link.argument] = {
        r: required,
        l: struct.list ? 1 : 0,
        s: compactBlock(types, struct.fqn, depth + 1),
      };
    } else a[link.argument] = required;
  }
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : 1)));
  return { a: sorted(a), b: sorted(b) };
}

const snake = (camel) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * What can be read from a resource or data source (arguments and computed attributes), from the
 * getters of its jsii class: `{ name: 0 }` a value with nothing inside it to name, `{ name: 1 }` a
 * map (any key), `{ name: { … } }` a nested object or list of objects. jsii names getters in
 * camelCase; the Terraform name is their snake_case.
 */
function compactAttributes(types, fqn, depth = 0) {
  const out = {};
  const cls = types[fqn];
  for (const prop of cls?.properties ?? []) {
    if (prop.static || prop.name.endsWith('Input') || prop.name === 'internalValue') continue;
    if (prop.name === 'fqn' || prop.name === 'creationStack') continue;
    out[snake(prop.name)] = readable(types, prop.type, depth);
  }
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function readable(types, type, depth) {
  if (type.primitive !== undefined) return type.primitive === 'json' || type.primitive === 'any' ? 1 : 0;
  if (type.collection !== undefined) {
    if (type.collection.kind === 'map') return 1;
    return readable(types, type.collection.elementtype, depth);
  }
  if (type.union !== undefined) {
    // cdktf lets any value be a token (IResolvable); that says nothing about the Terraform type.
    const members = type.union.types.filter((t) => t.fqn !== 'cdktf.IResolvable');
    const parts = members.map((t) => readable(types, t, depth));
    return parts.find((p) => typeof p === 'object') ?? (parts.includes(1) ? 1 : 0);
  }
  const fqn = type.fqn;
  if (fqn === undefined || !fqn.includes('.') || fqn.startsWith('cdktf.')) return 1;
  if (depth > 12) return 1;
  const cls = types[fqn];
  // XxxList / XxxMap classes: their get() returns the element's OutputReference.
  const get = cls?.methods?.find((m) => m.name === 'get' && m.returns?.type?.fqn !== undefined);
  if (get !== undefined) return compactAttributes(types, get.returns.type.fqn, depth + 1);
  if (cls?.kind === 'class') return compactAttributes(types, fqn, depth + 1);
  return 1;
}

function extract(provider, workDir) {
  console.log(`npm pack ${provider.pkg}@${provider.version} …`);
  const tarball = execFileSync(
    'npm',
    ['pack', `${provider.pkg}@${provider.version}`, '--silent', '--pack-destination', workDir],
    { cwd: workDir, encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .pop();
  const dir = join(workDir, provider.name);
  execFileSync('mkdir', ['-p', dir]);
  execFileSync(
    'tar',
    [
      'xzf',
      join(workDir, tarball),
      '-C',
      dir,
      '--strip-components=1',
      'package/.jsii',
      'package/package.json',
    ],
    {
      stdio: 'inherit',
    },
  );
  const pkgJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const assembly = readAssembly(dir);
  const types = assembly.types;

  const resources = new Map();
  const dataSources = new Map();
  let providerClass;
  let providerVersion;
  for (const [fqn, type] of Object.entries(types)) {
    if (type.kind !== 'class') continue;
    const link = docsLink(type.docs);
    if (link === undefined || !/^Represents a /.test(type.docs.summary ?? '')) continue;
    providerVersion ??= link.providerVersion;
    if (link.kind === 'resources') resources.set(link.type, fqn);
    else if (link.kind === 'data-sources') dataSources.set(link.type, fqn);
    else if (link.kind === undefined) providerClass = fqn;
  }
  if (providerClass === undefined) throw new Error(`${provider.pkg}: no provider class found`);

  const used = typesUsed(provider.modules);
  const pick = (names, table, what) =>
    Object.fromEntries(
      names.map((name) => {
        const fqn = table.get(name);
        if (fqn === undefined) throw new Error(`${provider.pkg}@${provider.version} has no ${what} ${name}`);
        return [name, { ...compactBlock(types, `${fqn}Config`), o: compactAttributes(types, fqn) }];
      }),
    );
  return {
    source: {
      package: provider.pkg,
      packageVersion: pkgJson.version,
      provider: pkgJson.cdktf?.provider?.name,
      providerVersion: pkgJson.cdktf?.provider?.version ?? providerVersion,
      extractedAt: new Date().toISOString().slice(0, 10),
      modules: provider.modules,
    },
    // Every type name the provider has, so the checker can tell "not extracted yet" from "no such type".
    allResourceTypes: [...resources.keys()].sort(),
    allDataSourceTypes: [...dataSources.keys()].sort(),
    provider: compactBlock(types, `${providerClass}Config`),
    resources: pick(used.resources, resources, 'resource type'),
    dataSources: pick(used.dataSources, dataSources, 'data source'),
  };
}

const work = mkdtempSync(join(tmpdir(), 'hubfleet-provider-schema-'));
try {
  const providers = {};
  for (const provider of PROVIDERS) providers[provider.name] = extract(provider, work);
  const schema = {
    $comment:
      'Generated by scripts/extract-provider-schema.mjs from the jsii assemblies of the prebuilt CDKTF provider packages. Do not edit; re-run the script. a = arguments (1 = required), b = nested blocks (r = required, l = repeated, s = schema), o = what can be read (0 = a value, 1 = a map, object = nested).',
    providers,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(schema)}\n`);
  const size = statSync(OUT).size;
  console.log(`wrote ${relative(root, OUT)} (${(size / 1024).toFixed(0)} KiB)`);
  for (const [name, p] of Object.entries(providers)) {
    console.log(
      `  ${name} ${p.source.providerVersion} from ${p.source.package}@${p.source.packageVersion}: ` +
        `${Object.keys(p.resources).length} resource types, ${Object.keys(p.dataSources).length} data sources`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
