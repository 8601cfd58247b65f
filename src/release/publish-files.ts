// The release workflow's steps that need code (`node lib/src/release/publish-files.js …`):
//   notes VERSION                      the release notes (CHANGELOG.md's section) on stdout
//   release-json REPOSITORY VERSION SHA  writes release.json beside package.json, which the
//                                      published package carries so `hubfleet init` can pin a
//                                      fleet's workflows to the commit it was built from
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage, findHint } from '../errors.js';
import { parseRelease, RELEASE_FILE } from '../fleet-repo/release.js';
import { releaseNotes } from './changelog.js';

export async function run(args: readonly string[], root: string): Promise<string> {
  const [command, ...rest] = args;
  if (command === 'notes' && rest.length === 1) {
    return releaseNotes(await readFile(join(root, 'CHANGELOG.md'), 'utf8'), rest[0] ?? '');
  }
  if (command === 'release-json' && rest.length === 3) {
    const [repository, version, sha] = rest;
    const packageJson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    if (packageJson.version !== version) {
      throw new Error(`package.json says version ${String(packageJson.version)}, not ${version}`);
    }
    const release = parseRelease({ repository, version, sha }, 'release-json');
    const text = `${JSON.stringify({ repository: release.repository, version: release.version, sha: release.sha }, null, 2)}\n`;
    await writeFile(join(root, RELEASE_FILE), text);
    return `wrote ${RELEASE_FILE}: ${release.repository}@${release.sha} (${release.version})\n`;
  }
  throw new Error('usage: publish-files.js notes VERSION | release-json OWNER/REPO VERSION SHA');
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  try {
    process.stdout.write(await run(process.argv.slice(2), process.cwd()));
  } catch (err) {
    const hint = findHint(err);
    process.stderr.write(`release: ${errorMessage(err)}${hint === undefined ? '' : `\nnext: ${hint}`}\n`);
    process.exitCode = 1;
  }
}
