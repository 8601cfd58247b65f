import { describe, expect, it } from '@jest/globals';
import { findSecrets, isSecretKey, secretShape } from './secret-values.js';

describe('secretShape', () => {
  it.each([
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'a GitHub token'],
    ['see github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'a GitHub token'],
    ['AIzaSyA0123456789abcdefghijklmnopqrstuv', 'a Google API key'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key'],
    ['ASIAIOSFODNN7EXAMPLE', 'an AWS access key'],
    ['xoxb-123456789012-abcdefghijklmnop', 'a Slack token'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', 'a PEM private key'],
    ['-----BEGIN PRIVATE KEY-----', 'a PEM private key'],
    ['postgres://user:pass@db.example.org/hub', 'a URL with a password'],
    ['{"type": "service_account", "private_key": "-----BEGIN"}', 'JSON holding a private_key'],
    ['c.GitHubOAuthenticator.client_secret = "abc"', 'a secret assigned in code'],
    ["c.X.api_token = 'abc'", 'a secret assigned in code'],
    ['config = {"password": "hunter2"}', 'a secret assigned in code'],
  ])('%s is %s', (text, what) => {
    expect(secretShape(text)).toBe(what);
  });

  it.each([
    'pangeo/pangeo-notebook:2026.03.01',
    'https://data.example.org/catalog.yaml',
    'ssh://git@github.com/org/repo',
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    'c.GitHubOAuthenticator.client_secret = os.environ["CLIENT_SECRET"]',
    'c.X.token = ""',
    'gs://bucket/$(JUPYTERHUB_USER)',
  ])('%s is not a secret', (text) => {
    expect(secretShape(text)).toBeUndefined();
  });
});

describe('secretShape of long strings (judged once per process)', () => {
  const snippet = (line: string): string =>
    ['import os', 'c.JupyterHub.log_level = "INFO"', line, 'c.Spawner.http_timeout = 120'].join('\n');
  it.each([
    [snippet('c.GitHubOAuthenticator.client_secret = "abc"'), 'a secret assigned in code'],
    [snippet('c.X.db_url = "postgres://hub:hunter2@db.example.org/hub"'), 'a URL with a password'],
    [snippet('c.GitHubOAuthenticator.client_secret = os.environ["CLIENT_SECRET"]'), undefined],
    [snippet('c.KubeSpawner.image = "quay.io/pangeo/pangeo-notebook:2026.03.14"'), undefined],
  ])('%s: %s, the first time and again', (text, what) => {
    expect(text.length).toBeGreaterThanOrEqual(64);
    expect(secretShape(text)).toBe(what);
    expect(secretShape(text)).toBe(what);
  });
});

describe('isSecretKey', () => {
  it.each([
    'cookieSecret',
    'secretToken',
    'client_secret',
    'PASSWORD',
    'token',
    'private_key',
    'apiToken',
    'GH_PAT',
    'api-key',
    'cryptKey',
    'GOOGLE_CREDENTIALS',
  ])('%s names a secret', (key) => expect(isSecretKey(key)).toBe(true));
  it.each([
    'existingSecret',
    'secretName',
    'secretKeyRef',
    'apiTokenFromSecretName',
    'apiTokenFromSecretKey',
    'token_url',
    'subPath',
    'image',
  ])('%s does not', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('findSecrets', () => {
  it('finds secrets by key of any type, by shape anywhere, and in list-form env, naming paths only', () => {
    const values = {
      hub: { cookieSecret: 1.2345678901234568e29, extraEnv: [{ name: 'API_TOKEN', value: 'x' }] },
      proxy: { secretToken: 0xcafe },
      singleuser: {
        extraEnv: {
          NOTES: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
          DB_PASSWORD: { value: 'hunter2' },
          REF_TOKEN: { valueFrom: { secretKeyRef: { name: 'mine', key: 'token' } } },
          FLAG_TOKEN: true,
          EMPTY_TOKEN: '',
        },
      },
    };
    expect(findSecrets(values, ['values'])).toEqual([
      { path: ['values', 'hub', 'cookieSecret'], what: '"cookieSecret" holds a literal value' },
      { path: ['values', 'hub', 'extraEnv', 0, 'value'], what: '"API_TOKEN" holds a literal value' },
      { path: ['values', 'proxy', 'secretToken'], what: '"secretToken" holds a literal value' },
      { path: ['values', 'singleuser', 'extraEnv', 'NOTES'], what: 'holds a GitHub token' },
      {
        path: ['values', 'singleuser', 'extraEnv', 'DB_PASSWORD', 'value'],
        what: '"DB_PASSWORD" holds a literal value',
      },
    ]);
  });
});
