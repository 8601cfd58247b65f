#!/usr/bin/env node
// Compiles src/, bench/ and workflows/ into lib/ (what bin/hubfleet.js and the npm scripts run).
//
//   node scripts/build-lib.mjs             generate sources, then tsc -p tsconfig.build.json
//   node scripts/build-lib.mjs --if-stale  the same, only when a compiled input is newer than the
//                                          last build (npm start, npm run bench: about 50 ms when
//                                          nothing changed, instead of a full tsc run)
//
// tsconfig.build.json is incremental (lib/.tsbuildinfo), so a build after a small edit re-checks
// only what the edit touched. Offline throughout: no network, nothing outside the repository.
//
// Then esbuild bundles the CLI (lib/src/cli.js and what it imports, npm packages included) into
// lib/cli/: one module per command and the chunks they share, instead of ~60 modules the ESM
// loader resolves, reads and links one by one. A cold `hubfleet validate` spent a quarter of its
// time in that loader (decision 0070); bin/hubfleet.js runs the bundle. lib/src/ stays for the
// npm scripts (schema, docs, workflows, bench) that import single modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INFO = join(root, 'lib', '.tsbuildinfo');
/** Where the compiled inputs live (tsconfig.build.json's include), plus what shapes the build. */
const INPUT_DIRS = ['src', 'bench', 'workflows'];
const INPUT_FILES = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
  'scripts/generate-sources.mjs',
];
/** Outputs the CLI needs; if one is missing the incremental state cannot be trusted. */
const REQUIRED_OUTPUTS = ['lib/src/cli.js', 'lib/bench/run.js', 'lib/cli/hubfleet.js'];
const BUNDLE_DIR = join(root, 'lib', 'cli');

/** The newest modification time (ms) of any file under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function isStale() {
  if (!existsSync(BUILD_INFO)) return true;
  if (REQUIRED_OUTPUTS.some((p) => !existsSync(join(root, p)))) {
    // tsc trusts its build info and would not re-emit files deleted from lib/.
    rmSync(BUILD_INFO, { force: true });
    return true;
  }
  const built = statSync(BUILD_INFO).mtimeMs;
  const inputs = Math.max(
    ...INPUT_DIRS.map((d) => newest(join(root, d))),
    ...INPUT_FILES.filter((f) => existsSync(join(root, f))).map((f) => statSync(join(root, f)).mtimeMs),
  );
  return inputs > built;
}

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const ifStale = process.argv.includes('--if-stale');
if (!ifStale || isStale()) {
  const started = new Date();
  run([join(root, 'scripts', 'generate-sources.mjs')]);
  run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  // tsc leaves its build info untouched when nothing needed emitting; the stamp is the time the
  // build started, so an input saved during the build still counts as newer next time.
  if (existsSync(BUILD_INFO)) utimesSync(BUILD_INFO, started, started);
  await bundleCli();
}

async function bundleCli() {
  const { build } = await import('esbuild');
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  await build({
    entryPoints: { hubfleet: join(root, 'lib', 'src', 'cli.js') },
    outdir: BUNDLE_DIR,
    bundle: true,
    // Commands stay lazy (src/cli.ts imports each one when it runs): each is its own chunk.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    // CommonJS packages inside an ESM bundle still call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __hubfleetRequire } from 'node:module'; const require = __hubfleetRequire(import.meta.url);",
    },
    logLevel: 'warning',
    // Relative paths in its errors, as tsc prints them.
    absWorkingDir: root,
  });
  // The build's identity (src/config/result-cache.ts): a load result is only reused by the very
  // code that produced it.
  const hash = createHash('sha256');
  for (const name of readdirSync(BUNDLE_DIR).sort()) {
    hash
      .update(`${name}\0`)
      .update(readFileSync(join(BUNDLE_DIR, name)))
      .update('\0');
  }
  writeFileSync(join(BUNDLE_DIR, 'build-id'), `${hash.digest('hex')}\n`);
}
