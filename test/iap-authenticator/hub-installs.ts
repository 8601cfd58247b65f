// The JupyterHub installations the IAP authenticator test runs in, found the way a person would
// find them: `jupyterhub` on PATH (Debian bookworm's 3.x in CI), and a Debian trixie root with
// JupyterHub 5.x (what z2jh 4.x ships) made by scripts/make-trixie-root.sh, entered with chroot.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';

/** A JupyterHub the test can start. */
export interface HubInstall {
  /** For test titles, e.g. "JupyterHub 3.0.0 (jupyterhub on PATH)". */
  readonly title: string;
  readonly version: string;
  /** A new scratch directory the hub can read and write: where it is here, and as the hub sees it. */
  makeDir(): { here: string; hub: string };
  /** Starts `jupyterhub args` in `cwd` (as the hub sees it) in its own process group. */
  start(args: string[], opts: { cwd: string; env: Record<string, string> }): ChildProcess;
  /** Why the hub's Python cannot import `modules`, or undefined when it can. */
  cannotImport(modules: readonly string[]): string | undefined;
}

/** An installation that is not there, with what to run to get it. */
export interface MissingInstall {
  /** For test titles: "JupyterHub 3", "JupyterHub 5". */
  readonly short: string;
  readonly name: string;
  readonly why: string;
  readonly install: string;
}

export type Detected = { found: true; install: HubInstall } | { found: false; missing: MissingInstall };

const isRoot = process.getuid?.() === 0;
const sudo = isRoot ? '' : 'sudo ';

export const BOOKWORM_INSTALL = `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends jupyterhub python3-jwt python3-cryptography`;
export const TRIXIE_ROOT = process.env.HUBFLEET_TRIXIE_ROOT ?? '/var/cache/hubfleet/trixie-root';
export const TRIXIE_INSTALL = `${sudo}scripts/make-trixie-root.sh${
  process.env.HUBFLEET_TRIXIE_ROOT === undefined ? '' : ` ${TRIXIE_ROOT}`
}`;

const IMPORT_CHECK = 'import jupyterhub, jwt, cryptography; print(jupyterhub.__version__)';

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The interpreter a script's `#!` line names (`/usr/bin/env python3` is looked up on PATH). */
function interpreterOf(script: string): string | undefined {
  const first = readFileSync(script, 'utf8').slice(0, 300).split('\n')[0] ?? '';
  const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (!match?.[1]) return undefined;
  if (match[1].endsWith('/env') && match[2] !== undefined) return onPath(match[2]);
  return match[1];
}

const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';

/** Environment for a hub started from PATH: ours, plus where Debian's proxy finds its modules. */
function hostEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Debian's configurable-http-proxy finds its modules where Debian's node looks by default; a
    // node from elsewhere (nodesource, nvm) needs to be told.
    NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':'),
    NODE_OPTIONS: '', // jest's --experimental-vm-modules is not the proxy's business
    ...extra,
  };
}

export function detectPathInstall(): Detected {
  const name = 'JupyterHub 3 (jupyterhub on PATH, Debian bookworm)';
  const missing = (why: string): Detected => ({
    found: false,
    missing: { short: 'JupyterHub 3', name, why, install: BOOKWORM_INSTALL },
  });
  const program = onPath('jupyterhub');
  if (program === undefined) return missing('no jupyterhub on PATH');
  const python = interpreterOf(realpathSync(program));
  if (python === undefined) return missing(`cannot tell which Python runs ${program}`);
  const check = spawnSync(python, ['-c', IMPORT_CHECK], { encoding: 'utf8', env: hostEnv({}) });
  if (check.status !== 0) {
    return missing(
      `${program} runs ${python}, which cannot import it with PyJWT and cryptography: ${lastLine(check.stderr)}`,
    );
  }
  const proxy = spawnSync('configurable-http-proxy', ['--version'], { encoding: 'utf8', env: hostEnv({}) });
  if (proxy.status !== 0) {
    return missing(`configurable-http-proxy does not run: ${lastLine(proxy.stderr || String(proxy.error))}`);
  }
  const version = check.stdout.trim();
  return {
    found: true,
    install: {
      cannotImport: (modules) => {
        const run = spawnSync(python, ['-c', `import ${modules.join(', ')}`], {
          encoding: 'utf8',
          env: hostEnv({}),
        });
        return run.status === 0 ? undefined : `${python}: ${lastLine(run.stderr)}`;
      },
      title: `JupyterHub ${version} (jupyterhub on PATH)`,
      version,
      makeDir: () => {
        const dir = mkdtempSync(join(tmpdir(), 'hubfleet-iap-'));
        return { here: dir, hub: dir };
      },
      start: (args, { cwd, env }) =>
        spawn(program, args, {
          cwd,
          detached: true, // own process group, so the proxy it starts is stopped with it
          env: hostEnv(env),
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
    },
  };
}

// Inside the root: its own PATH and nothing of ours (a pyenv or nvm here would only confuse it).
const ROOT_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/tmp',
  LANG: 'C.UTF-8',
};

export function detectTrixieRoot(): Detected {
  const name = `JupyterHub 5 (Debian trixie root at ${TRIXIE_ROOT})`;
  const missing = (why: string): Detected => ({
    found: false,
    missing: { short: 'JupyterHub 5', name, why, install: TRIXIE_INSTALL },
  });
  if (
    !existsSync(join(TRIXIE_ROOT, '.hubfleet-root')) ||
    !existsSync(join(TRIXIE_ROOT, 'usr/bin/jupyterhub'))
  ) {
    return missing('no complete trixie root there');
  }
  // chroot needs root; elsewhere a user namespace may allow it.
  const enter = isRoot ? ['chroot', TRIXIE_ROOT] : ['unshare', '--map-root-user', 'chroot', TRIXIE_ROOT];
  const [command = 'chroot', ...prefix] = enter;
  const check = spawnSync(command, [...prefix, '/usr/bin/python3', '-c', `import pycurl; ${IMPORT_CHECK}`], {
    encoding: 'utf8',
    env: ROOT_ENV,
  });
  if (check.status !== 0) {
    const why = check.error === undefined ? lastLine(check.stderr) : String(check.error);
    return {
      found: false,
      missing: {
        short: 'JupyterHub 5',
        name,
        why: `cannot run its Python with ${enter.slice(0, -1).join(' ')}: ${why}`,
        // The root is there; entering it is what failed.
        install: isRoot
          ? `${TRIXIE_INSTALL} after removing ${TRIXIE_ROOT} (it looks damaged)`
          : 'run npm test as root, or allow unprivileged user namespaces (chroot needs one of them)',
      },
    };
  }
  const version = check.stdout.trim();
  return {
    found: true,
    install: {
      cannotImport: (modules) => {
        const run = spawnSync(
          command,
          [...prefix, '/usr/bin/python3', '-c', `import ${modules.join(', ')}`],
          {
            encoding: 'utf8',
            env: ROOT_ENV,
          },
        );
        return run.status === 0 ? undefined : `the trixie root's python3: ${lastLine(run.stderr)}`;
      },
      title: `JupyterHub ${version} (Debian trixie root)`,
      version,
      makeDir: () => {
        const here = mkdtempSync(join(TRIXIE_ROOT, 'tmp', 'hubfleet-iap-'));
        return { here, hub: `/${relative(TRIXIE_ROOT, here)}` };
      },
      start: (args, { cwd, env }) =>
        spawn(
          command,
          [...prefix, '/bin/sh', '-c', 'cd "$0" && exec /usr/bin/jupyterhub "$@"', cwd, ...args],
          {
            detached: true,
            env: { ...ROOT_ENV, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
    },
  };
}

/** `CI=true` (as .ci/run and GitHub Actions set it): a missing installation is a failure. */
export const inCI = (): boolean => {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
};
