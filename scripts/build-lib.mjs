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
// lib/cli/: each command in one file (lib/cli/commands/<command>.js) and the whole CLI split into
// chunks for help and the rest, instead of ~60 modules the ESM loader resolves, reads and links
// one by one. A cold `hubfleet validate` spent a quarter of its time in that loader (decision
// 0070); bin/hubfleet.js picks the bundle (decision 0082). lib/src/ stays for the npm
// scripts (schema, docs, workflows, bench) that import single modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INFO = join(root, 'lib', '.tsbuildinfo');
/** Where the compiled inputs live (tsconfig.build.json's include), plus what shapes the build. */
const INPUT_DIRS = ['src', 'bench', 'workflows'];
const INPUT_FILES = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
  'scripts/generate-sources.mjs',
  // How the bundles are made.
  'scripts/build-lib.mjs',
];
/** Outputs the CLI needs; if one is missing the incremental state cannot be trusted. */
const REQUIRED_OUTPUTS = [
  'lib/src/cli.js',
  'lib/bench/run.js',
  'lib/cli/hubfleet.js',
  'lib/cli/commands/validate.cjs',
];
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

/** Options every bundle shares. */
const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages inside an ESM bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __hubfleetRequire } from 'node:module'; const require = __hubfleetRequire(import.meta.url);",
  },
  logLevel: 'warning',
  // Relative paths in its errors, as tsc prints them.
  absWorkingDir: root,
};

/**
 * A command's own bundle is CommonJS (`.cjs`): bin/hubfleet.js compiles it as a script with the
 * code V8 kept from an earlier run (vm.Script's cachedData), which an ES module cannot be given on
 * Node 20. Without the cache it is also a little faster cold (1–5 % on `validate`, decision 0082).
 * `import.meta.url` becomes the bundle's own URL.
 */
const COMMAND_BUNDLE_OPTIONS = {
  ...BUNDLE_OPTIONS,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__hubfleetModuleUrl' },
  banner: { js: 'var __hubfleetModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/**
 * The bundle of `command`: src/cli.ts's imports of the other commands' modules become a module that
 * says so if it is ever run (bin/hubfleet.js gives every other command line to the full CLI), and
 * what is imported on demand at run time (the YAML parser, Node's own modules) is required then.
 */
function onlyCommand(command, cli) {
  return {
    name: 'only-command',
    setup(build) {
      // The full YAML parser (the `yaml` package, ~250 KB) is needed only for a file with a problem
      // to point at: load-lazy.ts imports it when one has; it is its own file beside the commands.
      // Like Node's own modules imported on demand, it is required when the import() runs: a
      // bundle runs inside vm.Script (bin/hubfleet.js), where Node 20 cannot import().
      build.onResolve({ filter: /^\.\/yaml-source\.js$/ }, (args) =>
        args.kind === 'dynamic-import' && args.importer.endsWith(join('config', 'load-lazy.js'))
          ? { path: './yaml-source.cjs', namespace: 'required-when-imported' }
          : undefined,
      );
      build.onResolve({ filter: /^node:/ }, (args) =>
        args.kind === 'dynamic-import' ? { path: args.path, namespace: 'required-when-imported' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'required-when-imported' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^\.\/yaml-source\.cjs$/ }, () => ({
        path: './yaml-source.cjs',
        external: true,
      }));
      build.onResolve({ filter: /^\.\/cli\/[a-z-]+\.js$/ }, (args) => {
        if (args.kind !== 'dynamic-import' || args.importer !== cli) return undefined;
        if (args.path === `./cli/${command}.js`) return undefined;
        return { path: args.path, namespace: 'other-command' };
      });
      build.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`internal: ${args.path} is not in the bundle of hubfleet ${command}`)});`,
        loader: 'js',
      }));
    },
  };
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

async function bundleCli() {
  const { build } = await import('esbuild');
  const cli = join(root, 'lib', 'src', 'cli.js');
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  // The whole CLI, for help, --version and unknown commands: one chunk per command (src/cli.ts
  // imports each when it runs) and the chunks they share.
  await build({
    ...BUNDLE_OPTIONS,
    entryPoints: { hubfleet: cli },
    outdir: BUNDLE_DIR,
    splitting: true,
    chunkNames: '[name]-[hash]',
  });
  // Each command in one file: the split CLI made `validate` load 25 modules (~17 ms of a cold
  // start on the example fleet); a command's own bundle is one. What a command imports lazily
  // (the full YAML parser, say) is inside it, compiled only if it runs.
  const { COMMAND_NAMES } = await import(pathToFileURL(cli).href);
  const built = await Promise.all(
    COMMAND_NAMES.map((command) =>
      build({
        ...COMMAND_BUNDLE_OPTIONS,
        entryPoints: { [command]: cli },
        outdir: join(BUNDLE_DIR, 'commands'),
        plugins: [onlyCommand(command, cli)],
        metafile: true,
      }),
    ),
  );
  // Nothing in a command's bundle may import() at run time (see onlyCommand).
  for (const { metafile } of built) {
    for (const [output, { imports }] of Object.entries(metafile.outputs)) {
      const dynamic = imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
      if (dynamic.length > 0)
        throw new Error(`${output} would import() ${dynamic.join(', ')}: require it (onlyCommand)`);
    }
  }
  await build({
    ...COMMAND_BUNDLE_OPTIONS,
    entryPoints: { 'yaml-source': join(root, 'lib', 'src', 'config', 'yaml-source.js') },
    outdir: join(BUNDLE_DIR, 'commands'),
  });
  // The build's identity (src/config/result-cache.ts), beside every bundle: a load result is only
  // reused by the very code that produced it.
  const hash = createHash('sha256');
  for (const name of filesUnder(BUNDLE_DIR)) {
    hash
      .update(`${name}\0`)
      .update(readFileSync(join(BUNDLE_DIR, name)))
      .update('\0');
  }
  const id = `${hash.digest('hex')}\n`;
  for (const dir of [BUNDLE_DIR, join(BUNDLE_DIR, 'commands')]) writeFileSync(join(dir, 'build-id'), id);
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
