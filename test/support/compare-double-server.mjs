// The Compare API double's server (see compare-double.ts), in its own process: the workflow steps it
// answers run through spawnSync, which blocks the test process, so a server there could not answer.
// Usage: node compare-double-server.mjs <repo> <token>; prints `port <n>`, then one line per request.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';

const [repo, token] = process.argv.slice(2);
const git = (...args) => {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout.trim() };
};

const server = createServer((req, res) => {
  process.stdout.write(`request ${req.method} ${req.url}\n`);
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: 'Bad credentials' });
  const m = /^\/repos\/[^/]+\/[^/]+\/compare\/([^/.]+)\.\.\.([^/?]+)$/.exec(req.url ?? '');
  const base = m === null ? undefined : git('rev-parse', '--verify', `${m[1]}^{commit}`);
  const head = m === null ? undefined : git('rev-parse', '--verify', `${m[2]}^{commit}`);
  if (base?.ok !== true || head?.ok !== true) return send(404, { message: 'Not Found' });
  const ahead = Number(git('rev-list', '--count', `${base.out}..${head.out}`).out);
  const behind = Number(git('rev-list', '--count', `${head.out}..${base.out}`).out);
  const status =
    ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
  const mergeBase = git('merge-base', base.out, head.out).out;
  const files = git('diff', '--name-status', '-M', mergeBase, head.out)
    .out.split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [code = '', first = '', second] = line.split('\t');
      if (code.startsWith('R')) return { filename: second, status: 'renamed', previous_filename: first };
      return { filename: first, status: code === 'A' ? 'added' : code === 'D' ? 'removed' : 'modified' };
    });
  send(200, { status, ahead_by: ahead, behind_by: behind, total_commits: ahead, files });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
