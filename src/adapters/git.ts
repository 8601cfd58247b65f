// The git adapter: what changed between two commits, and the config files at a commit. Runs the
// real git so refs, merge bases and shallow-clone errors behave exactly as in CI.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { ChangedFile } from '../plan/change-plan.js';
import { HubfleetError } from '../errors.js';

const run = promisify(execFile);

async function git(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(err);
    throw new HubfleetError(`git ${args[0] ?? ''} failed: ${detail}`, {
      hint: 'check that the refs exist in this clone (CI: checkout with fetch-depth: 0 so the base commit is present)',
    });
  }
}

/** The top directory of the work tree holding `dir`, or undefined when `dir` is in no repository. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * Parses `git diff --name-status -z` output. A rename or copy becomes a deletion of the old path
 * (renames only) and an addition of the new one, so both ends are planned.
 */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const changes: ChangedFile[] = [];
  for (let i = 0; i < fields.length;) {
    const code = fields[i++] ?? '';
    if (code === '') continue;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const from = fields[i++] ?? '';
      const to = fields[i++] ?? '';
      if (letter === 'R') changes.push({ path: from, status: 'deleted' });
      changes.push({ path: to, status: 'added' });
      continue;
    }
    const path = fields[i++] ?? '';
    const status = letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified';
    changes.push({ path, status });
  }
  return changes;
}

/** Files changed on `head` since it forked from `base` (three-dot diff, as a PR shows them). */
export async function changedFiles(repoDir: string, base: string, head: string): Promise<ChangedFile[]> {
  // Revisions come from the command line (and a workflow's inputs): after --end-of-options git
  // never reads one as an option, whatever it starts with (git 2.24+, parse-options.c).
  const out = await git(
    ['diff', '--name-status', '-z', '-M', '--end-of-options', `${base}...${head}`, '--'],
    repoDir,
  );
  return parseNameStatus(out);
}

/** The commit `ref` names, or undefined when it names none in this clone. */
export async function resolveCommit(repoDir: string, ref: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(
      'git',
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      { cwd: repoDir, encoding: 'utf8' },
    );
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** Whether `ancestor` is `descendant` or one of its ancestors (`git merge-base --is-ancestor`). */
export async function isAncestor(repoDir: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await run('git', ['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant], {
      cwd: repoDir,
      encoding: 'utf8',
    });
    return true;
  } catch (err) {
    // Exit 1 is git's "no"; anything else (a missing object in a shallow clone) is a failure.
    if ((err as { code?: unknown }).code === 1) return false;
    throw new HubfleetError(`git merge-base failed: ${errorText(err)}`, {
      hint: 'check that both commits and the history between them are in this clone (CI: fetch-depth: 0)',
    });
  }
}

function errorText(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(err);
}

/**
 * The text of every file under `dir` at commit `ref`, for loading the fleet as it is at head. Paths
 * (and `dir`) are relative to `repoDir`, which may be a folder inside the work tree.
 */
export async function filesAtRef(
  repoDir: string,
  ref: string,
  dir: string,
): Promise<Array<{ path: string; text: string; bytes: Buffer; symlink: boolean }>> {
  const listing = await git(['ls-tree', '-r', '-z', '--end-of-options', ref, '--', dir], repoDir);
  // Each entry: "<mode> blob <sha>\t<path>"; one `cat-file --batch` reads all blobs in one process.
  const entries = listing
    .split('\0')
    .filter((e) => e !== '')
    .map((e) => {
      const tab = e.indexOf('\t');
      const [mode, type, sha] = e.slice(0, tab).split(' ');
      // Mode 120000 is a symbolic link, whose blob is the link's target path.
      return { type, sha: sha ?? '', path: e.slice(tab + 1), symlink: mode === '120000' };
    })
    .filter((e) => e.type === 'blob');
  if (entries.length === 0) return [];
  const out = await catFileBatch(
    repoDir,
    entries.map((e) => e.sha),
  );
  return entries.map((e, i) => {
    const bytes = out[i] ?? Buffer.alloc(0);
    return { path: e.path, text: bytes.toString('utf8'), bytes, symlink: e.symlink };
  });
}

function catFileBatch(repoDir: string, shas: string[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repoDir, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new HubfleetError(`git cat-file failed: ${stderr.trim()}`, {
            hint: 'check that the commit exists in this clone',
          }),
        );
        return;
      }
      const buf = Buffer.concat(chunks);
      const texts: Buffer[] = [];
      let pos = 0;
      for (let i = 0; i < shas.length; i++) {
        const nl = buf.indexOf(10, pos);
        const header = buf.toString('utf8', pos, nl).split(' ');
        const size = Number(header[2]);
        if (header[1] === 'missing' || !Number.isFinite(size)) {
          reject(
            new HubfleetError(`git object ${shas[i] ?? ''} is missing`, { hint: 'fetch the full history' }),
          );
          return;
        }
        texts.push(buf.subarray(nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
      resolve(texts);
    });
    child.stdin.end(shas.join('\n') + '\n');
  });
}
