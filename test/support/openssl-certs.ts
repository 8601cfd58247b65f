// Test certificates made at setup with the openssl CLI (node can parse X.509 but not issue it): a
// throw-away CA and a leaf certificate for the given DNS names, signed by that CA. Tests trust the
// CA through NODE_EXTRA_CA_CERTS (child processes) or an explicit `ca` (in-process requests).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
  dir: string;
  /** PEM of the CA certificate, and its path (for NODE_EXTRA_CA_CERTS). */
  caPem: string;
  caPath: string;
  /** Issues a leaf certificate for `names` (first one is also the CN). */
  issue(names: readonly string[]): Promise<{ certPem: string; keyPem: string }>;
  remove(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new Error(
        'openssl is not installed: the TLS test doubles need it to issue certificates (apt-get install openssl)',
        { cause: error },
      );
    }
    throw error;
  }
}

export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'hubfleet-ca-'));
  const caPath = join(dir, 'ca.pem');
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=hubfleet test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const caPem = await readFile(caPath, 'utf8');
  let serial = 0;
  return {
    dir,
    caPem,
    caPath,
    async issue(names) {
      serial += 1;
      const base = `leaf-${serial}`;
      await writeFile(
        join(dir, `${base}.ext`),
        [
          'basicConstraints=critical,CA:FALSE',
          'keyUsage=critical,digitalSignature',
          'extendedKeyUsage=serverAuth',
          `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
        ].join('\n'),
      );
      await openssl(
        [
          'req',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          `${base}.key`,
          '-out',
          `${base}.csr`,
          '-subj',
          `/CN=${names[0] ?? 'localhost'}`,
        ],
        dir,
      );
      await openssl(
        [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-set_serial',
          String(1000 + serial),
          '-days',
          '2',
          '-extfile',
          `${base}.ext`,
          '-out',
          `${base}.pem`,
        ],
        dir,
      );
      return {
        certPem: await readFile(join(dir, `${base}.pem`), 'utf8'),
        keyPem: await readFile(join(dir, `${base}.key`), 'utf8'),
      };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
