#!/usr/bin/env node
// The CLI is compiled to lib/ and bundled into lib/cli/ by `npm ci` (prepare) or `npm run build:lib`
// (scripts/build-lib.mjs). A command line that starts with a command runs that command's own
// bundle, lib/cli/commands/<command>.cjs; anything else (help, --version, a mistyped command) the
// whole CLI, lib/cli/hubfleet.js (decision 0082).
//
// A command's bundle is compiled by V8 with the code it compiled on an earlier run of the same
// build under the same Node (vm.Script's cachedData, as Node 22's module.enableCompileCache keeps
// it): ~20 ms of every start. The cache lives beside the bundle, so it is trusted exactly as far
// as the bundle is, and it is named for the build (lib/cli/build-id), the bundle's size and mtime
// and the Node version: V8 itself checks only the source's length.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Through require: importing node:fs as an ES module loads Node's stream modules (~3 ms).
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');
const { fileURLToPath } = require('node:url');
const vm = require('node:vm');

const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'cli');

/** The command's bundle when argv starts with a command that has one. */
function commandBundle(name) {
  if (name === undefined || !/^[a-z][a-z-]*$/.test(name)) return undefined;
  const file = join(CLI_DIR, 'commands', `${name}.cjs`);
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat?.isFile() === true ? { file, stat } : undefined;
}

function readOrUndefined(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Runs the CommonJS bundle with V8's code cache; returns its exports and a way to keep the cache. */
function loadCommand({ file, stat }) {
  const importModuleDynamically = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const build = readOrUndefined(join(dirname(file), 'build-id'))
    ?.toString('utf8')
    .trim();
  // Without the main context's loader (Node before 20.12) the bundle's import() of the YAML parser
  // could not run inside vm.Script: plain require, no cache.
  if (importModuleDynamically === undefined || build === undefined)
    return { cli: require(file), keep: () => {} };
  const cacheFile = join(
    dirname(file),
    '.v8-cache',
    `${basename(file)}-${build.slice(0, 16)}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}`,
  );
  const cachedData = readOrUndefined(cacheFile);
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`,
    { filename: file, cachedData, importModuleDynamically },
  );
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return { cli: module.exports, keep: () => fresh && keepCache(cacheFile, script) };
}

/** After the command ran: the code it compiled, for the next run (best effort: a read-only install keeps none). */
function keepCache(cacheFile, script) {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.tmp-${process.pid}`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    // the next run compiles again
  }
}

/** The whole CLI, or a clear word when it was never built. */
async function wholeCli() {
  try {
    return await import('../lib/cli/hubfleet.js');
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.url).endsWith('/lib/cli/hubfleet.js')) throw err;
    process.stderr.write('hubfleet: the CLI is not built here\nnext: run npm ci (or npm run build:lib)\n');
    return process.exit(1);
  }
}

const argv = process.argv.slice(2);
const bundle = commandBundle(argv[0]);
const { cli, keep } = bundle === undefined ? { cli: await wholeCli(), keep: () => {} } : loadCommand(bundle);
process.exitCode = await cli.main(argv);
keep();
