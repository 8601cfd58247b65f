import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputVariable, parseCommands, parseOutputFile, runBundle } from './bundle-harness.js';

describe('parseOutputFile', () => {
  it('reads name=value lines and the heredoc form, keeping inner newlines and = signs', () => {
    const text = [
      'simple=value with = sign',
      'multi<<ghadelimiter_1234',
      'line one',
      '',
      'name=not-an-output',
      'ghadelimiter_1234',
      'empty<<EOF',
      'EOF',
      'simple=later wins',
      '',
    ].join('\n');
    expect(parseOutputFile(text)).toEqual({
      simple: 'later wins',
      multi: 'line one\n\nname=not-an-output',
      empty: '',
    });
  });

  it('accepts CRLF line ends', () => {
    expect(parseOutputFile('a<<X\r\n1\r\n2\r\nX\r\nb=3\r\n')).toEqual({ a: '1\n2', b: '3' });
  });

  it('refuses an unterminated heredoc and a line without =', () => {
    expect(() => parseOutputFile('a<<END\nvalue\n')).toThrow('delimiter END never closes');
    expect(() => parseOutputFile('garbage\n')).toThrow('malformed output file line');
  });
});

describe('parseCommands', () => {
  it('parses annotations with properties and unescapes data and properties', () => {
    const stdout = [
      'plain log line',
      '::add-mask::s3cr%25t',
      '::error file=config/a.yaml,line=3,col=5,title=bad%3A value%2C really::two%0Alines 100%25',
      '::warning::careful',
      '::debug::literal %250A stays',
      ':: not a command',
    ].join('\n');
    expect(parseCommands(stdout)).toEqual([
      { command: 'add-mask', properties: {}, message: 's3cr%t' },
      {
        command: 'error',
        properties: { file: 'config/a.yaml', line: '3', col: '5', title: 'bad: value, really' },
        message: 'two\nlines 100%',
      },
      { command: 'warning', properties: {}, message: 'careful' },
      { command: 'debug', properties: {}, message: 'literal %0A stays' },
    ]);
  });
});

describe('inputVariable', () => {
  it.each([
    ['github-token', 'INPUT_GITHUB-TOKEN'],
    ['pr number', 'INPUT_PR_NUMBER'],
    ['Mode', 'INPUT_MODE'],
  ])('%s → %s', (name, variable) => {
    expect(inputVariable(name)).toBe(variable);
  });
});

describe('runBundle', () => {
  let actionDir: string;

  // A hand-written "bundle" that reports what it was given through the same files and commands
  // a real one uses, so the harness is checked without building anything.
  const script = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const env = process.env;
const seen = Object.keys(env).filter((k) => k.startsWith('INPUT_')).sort();
appendFileSync(env.GITHUB_OUTPUT, 'seen=' + seen.join(',') + '\\n');
appendFileSync(env.GITHUB_OUTPUT, 'token=' + (env['INPUT_GITHUB-TOKEN'] ?? '') + '\\n');
appendFileSync(env.GITHUB_OUTPUT, 'label=' + (env.INPUT_LABEL ?? '') + '\\n');
appendFileSync(env.GITHUB_OUTPUT, 'spaced=' + (env.INPUT_PR_NUMBER ?? '') + '\\n');
appendFileSync(env.GITHUB_OUTPUT, 'event<<EOT\\n' + readFileSync(env.GITHUB_EVENT_PATH, 'utf8') + '\\nEOT\\n');
const notes = env.GITHUB_WORKSPACE + '/notes/a.md';
appendFileSync(env.GITHUB_OUTPUT, 'file=' + (existsSync(notes) ? readFileSync(notes, 'utf8') : '') + '\\n');
appendFileSync(env.GITHUB_OUTPUT, 'cwd=' + (process.cwd() === env.GITHUB_WORKSPACE) + '\\n');
for (const k of ['GITHUB_ACTIONS', 'GITHUB_REPOSITORY', 'GITHUB_EVENT_NAME', 'GITHUB_SHA', 'RUNNER_TEMP', 'GITHUB_API_URL']) {
  appendFileSync(env.GITHUB_OUTPUT, k + '=' + (env[k] ?? '') + '\\n');
}
appendFileSync(env.GITHUB_STEP_SUMMARY, '### done\\n');
appendFileSync(env.GITHUB_ENV, 'FROM_STEP=1\\n');
appendFileSync(env.GITHUB_STATE, 'post=yes\\n');
appendFileSync(env.GITHUB_PATH, '/opt/tool/bin\\n');
console.log('::warning title=heads up::look%0Ahere');
console.error('to stderr');
if (env.INPUT_HANG === 'yes') setInterval(() => {}, 1000);
process.exitCode = Number(env.INPUT_EXIT ?? 0);
`;

  beforeAll(async () => {
    actionDir = await mkdtemp(join(tmpdir(), 'hubfleet-harness-'));
    await mkdir(join(actionDir, 'dist'));
    await writeFile(join(actionDir, 'dist', 'package.json'), '{"type":"module"}\n');
    await writeFile(join(actionDir, 'dist', 'index.js'), script);
    await writeFile(
      join(actionDir, 'action.yml'),
      [
        'name: probe',
        'description: probe',
        'inputs:',
        '  github-token: {description: t, default: "${{ github.token }}"}',
        '  label: {description: l, default: hubfleet}',
        '  pr number: {description: p}',
        'runs: {using: node24, main: dist/index.js}',
      ].join('\n'),
    );
    process.env.INPUT_LEAKED = 'from the parent';
  });

  afterAll(async () => {
    delete process.env.INPUT_LEAKED;
    await rm(actionDir, { recursive: true, force: true });
  });

  it('gives the bundle the runner contract and reads back outputs, summary and annotations', async () => {
    const result = await runBundle(actionDir, {
      inputs: { 'pr number': '12', exit: '3' },
      githubToken: 'ghs_token',
      event: { pull_request: { number: 12 } },
      eventName: 'pull_request',
      files: { 'notes/a.md': 'hello' },
      env: { GITHUB_REPOSITORY: 'org/fleet' },
    });
    expect(result.exitCode).toBe(3);
    expect(result.timedOut).toBe(false);
    expect(result.outputs).toEqual({
      seen: 'INPUT_EXIT,INPUT_GITHUB-TOKEN,INPUT_LABEL,INPUT_PR_NUMBER',
      token: 'ghs_token',
      label: 'hubfleet',
      spaced: '12',
      event: '{"pull_request":{"number":12}}',
      file: 'hello',
      cwd: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'org/fleet',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      RUNNER_TEMP: result.env.RUNNER_TEMP,
      GITHUB_API_URL: 'http://127.0.0.1:9',
    });
    expect(result.summary).toBe('### done\n');
    expect([result.envFile, result.stateFile, result.pathFile]).toEqual([
      'FROM_STEP=1\n',
      'post=yes\n',
      '/opt/tool/bin\n',
    ]);
    expect(result.annotations).toEqual([
      { level: 'warning', message: 'look\nhere', properties: { title: 'heads up' } },
    ]);
    expect(result.stderr).toBe('to stderr\n');
  });

  it('leaves expression defaults unset when no token is given, and can skip defaults', async () => {
    const defaulted = await runBundle(actionDir);
    expect(defaulted.outputs.seen).toBe('INPUT_LABEL');
    expect(defaulted.exitCode).toBe(0);
    const bare = await runBundle(actionDir, { applyDefaults: false });
    expect(bare.outputs.seen).toBe('');
  });

  it('kills a bundle that runs past its time limit', async () => {
    const result = await runBundle(actionDir, { inputs: { hang: 'yes' }, timeoutMs: 500 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(result.exitCode).toBeNull();
  });
});
