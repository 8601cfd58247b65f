#!/usr/bin/env node
// Generates the TypeScript modules that carry non-TypeScript sources as strings, so lib/ and the
// ncc bundles contain them without copying assets. Run by `npm ci`/`npm install` (prepare),
// `npm run build:lib` and `npm run build`; tests only check that the committed output agrees.
//
//   node scripts/generate-sources.mjs           rewrite every generated module that is out of date
//   node scripts/generate-sources.mjs --check   exit 1, naming them, when any is out of date
//   node scripts/generate-sources.mjs --from A --to B --name NAME [--check]   one module
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const GENERATED = [
  {
    from: 'src/render/iap_authenticator.py',
    to: 'src/render/iap-authenticator-source.ts',
    name: 'IAP_AUTHENTICATOR_SOURCE',
  },
];

/** The module text for `source`: a template literal escaped so it evaluates to exactly `source`. */
export function sourceModule(source, from, name) {
  const body = source.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return [
    `// Generated from ${from.split('/').pop()} by scripts/generate-sources.mjs (run by npm ci,`,
    '// npm run build:lib and npm run build); do not edit.',
    `export const ${name} = \`${body}\`;`,
    '',
  ].join('\n');
}

function parseArgs(argv) {
  const args = { check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') args.check = true;
    else if (arg === '--from' || arg === '--to' || arg === '--name') args[arg.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const jobs =
    args.from === undefined
      ? GENERATED.map((g) => ({ ...g, from: join(root, g.from), to: join(root, g.to), shown: g.to }))
      : [{ from: args.from, to: args.to, name: args.name ?? 'SOURCE', shown: args.to }];
  const stale = [];
  for (const job of jobs) {
    const wanted = sourceModule(readFileSync(job.from, 'utf8'), job.from, job.name);
    let current;
    try {
      current = readFileSync(job.to, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === wanted) continue;
    if (args.check) stale.push(job.shown);
    else {
      writeFileSync(job.to, wanted);
      console.log(`generated ${job.shown}`);
    }
  }
  if (stale.length > 0) {
    console.error(
      `out of date: ${stale.join(', ')}; run node scripts/generate-sources.mjs (npm run build:lib does) and commit the result`,
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
