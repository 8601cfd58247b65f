import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectModuleFiles, inputsDigest, inputsDigestText, localModuleSources } from './inputs-digest.js';

const hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('inputsDigestText', () => {
  it('is the documented text: version, tfvars hash, then files sorted by path', () => {
    const text = inputsDigestText('{"a":1}\n', [
      { path: 'gcp/variables.tf', bytes: enc('v') },
      { path: 'gcp/main.tf', bytes: enc('m') },
    ]);
    expect(text).toBe(
      `hubfleet-inputs-v1\ntfvars ${hex('{"a":1}\n')}\nfile gcp/main.tf ${hex('m')}\nfile gcp/variables.tf ${hex('v')}\n`,
    );
    expect(
      inputsDigest('{"a":1}\n', [
        { path: 'gcp/variables.tf', bytes: enc('v') },
        { path: 'gcp/main.tf', bytes: enc('m') },
      ]),
    ).toBe(`sha256:${hex(text)}`);
  });

  it('changes with any variable, file content or file name', () => {
    const base = inputsDigest('{}', [{ path: 'gcp/main.tf', bytes: enc('m') }]);
    expect(inputsDigest('{ }', [{ path: 'gcp/main.tf', bytes: enc('m') }])).not.toBe(base);
    expect(inputsDigest('{}', [{ path: 'gcp/main.tf', bytes: enc('m ') }])).not.toBe(base);
    expect(inputsDigest('{}', [{ path: 'gcp/other.tf', bytes: enc('m') }])).not.toBe(base);
    expect(inputsDigest('{}', [{ path: 'gcp/main.tf', bytes: enc('m') }])).toBe(base);
  });
});

describe('localModuleSources', () => {
  it('finds ./ and ../ sources only', () => {
    expect(
      localModuleSources(
        'module "a" {\n  source = "../modules/hub"\n}\nmodule "b" {\n  source = "hashicorp/x/y"\n}\nmodule "c" {\n source="./c"\n}\n',
      ),
    ).toEqual(['../modules/hub', './c']);
  });
});

describe('collectModuleFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubfleet-digest-'));
    await mkdir(join(dir, 'gcp', '.terraform', 'providers'), { recursive: true });
    await mkdir(join(dir, 'modules', 'hub'), { recursive: true });
    await mkdir(join(dir, 'aws'), { recursive: true });
    await writeFile(join(dir, 'gcp', 'main.tf'), 'module "hub" {\n  source = "../modules/hub"\n}\n');
    await writeFile(join(dir, 'gcp', '.terraform.lock.hcl'), 'lock');
    await writeFile(join(dir, 'gcp', 'terraform.tfstate'), 'state');
    await writeFile(join(dir, 'gcp', 'terraform.tfstate.backup'), 'state');
    await writeFile(join(dir, 'gcp', '.terraform', 'providers', 'x'), 'binary');
    await writeFile(join(dir, 'modules', 'hub', 'main.tf'), 'resource "x" "y" {}\n');
    await writeFile(join(dir, 'aws', 'main.tf'), 'other provider');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the module, its local modules and the lock file, not what terraform writes, not the other provider', () => {
    const files = collectModuleFiles(dir, join(dir, 'gcp'));
    expect(files.map((f) => f.path).sort()).toEqual([
      'gcp/.terraform.lock.hcl',
      'gcp/main.tf',
      'modules/hub/main.tf',
    ]);
  });

  it('refuses a local module outside the terraform directory', async () => {
    await writeFile(join(dir, 'gcp', 'outside.tf'), 'module "o" {\n  source = "../../elsewhere"\n}\n');
    expect(() => collectModuleFiles(dir, join(dir, 'gcp'))).toThrow('lies outside the terraform directory');
  });
});
