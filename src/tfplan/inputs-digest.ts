// The inputs digest binds a reviewed plan to what it was made from: the rendered variables and
// the Terraform code. apply-iam recomputes it from the tree it checked out and refuses when it
// differs from the digest the reviewer saw (docs/decisions/0011-reviewed-plan-binding.md).
//
// Definition (version 1), so anyone can recompute it with a shell:
//   sha256 of the text
//     "hubfleet-inputs-v1\n"
//     "tfvars <sha256 hex of the terraform.tfvars.json bytes>\n"
//     "file <path> <sha256 hex of the file's bytes>\n"   for every module file, sorted by path
//   written as "sha256:<hex>". <path> is relative to the terraform directory, '/'-separated.
// Module files are every file under the cluster's root module (terraform/<provider>) and under
// each local module it calls (`source = "./…"` or `"../…"`, followed transitively), except what
// `terraform init`, plan and apply write there themselves: .terraform/, *.tfstate,
// *.tfstate.backup, .terraform.tfstate.lock.info and crash.log. .terraform.lock.hcl is included:
// it pins the provider builds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { sha256Hex } from '../digest.js';
import { HubfleetError } from '../errors.js';

export const INPUTS_DIGEST_VERSION = 'hubfleet-inputs-v1';

export interface DigestFile {
  /** Relative to the terraform directory, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

/** The canonical text the digest is the hash of (pure; exported so tests and docs can show it). */
export function inputsDigestText(tfvarsJson: string, files: readonly DigestFile[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.path === sorted[i - 1]?.path) throw new Error(`file ${sorted[i]?.path} listed twice`);
  }
  return [
    `${INPUTS_DIGEST_VERSION}\n`,
    `tfvars ${sha256Hex(tfvarsJson)}\n`,
    ...sorted.map((f) => `file ${f.path} ${sha256Hex(f.bytes)}\n`),
  ].join('');
}

export function inputsDigest(tfvarsJson: string, files: readonly DigestFile[]): string {
  return `sha256:${sha256Hex(inputsDigestText(tfvarsJson, files))}`;
}

const GENERATED = [
  /^\.terraform$/,
  /\.tfstate$/,
  /\.tfstate\.backup$/,
  /^\.terraform\.tfstate\.lock\.info$/,
  /^crash\.log$/,
];

const isGenerated = (name: string): boolean => GENERATED.some((pattern) => pattern.test(name));

/** Local module sources (`./x`, `../x`) named in a .tf file's text. */
export function localModuleSources(tfText: string): string[] {
  const sources: string[] = [];
  for (const match of tfText.matchAll(/^\s*source\s*=\s*"(\.{1,2}\/[^"]*)"/gm)) {
    if (match[1] !== undefined) sources.push(match[1]);
  }
  return sources;
}

/**
 * The files of `moduleDir` and of the local modules it calls, relative to `terraformDir`. A local
 * module outside `terraformDir` is refused: the digest could not name it, and a plan could then
 * change without the digest noticing.
 */
export function collectModuleFiles(terraformDir: string, moduleDir: string): DigestFile[] {
  const root = resolve(terraformDir);
  const files = new Map<string, DigestFile>();
  const visited = new Set<string>();
  const pending = [resolve(moduleDir)];
  while (pending.length > 0) {
    const dir = pending.pop() ?? '';
    if (visited.has(dir)) continue;
    visited.add(dir);
    const rel = relative(root, dir);
    if (rel.startsWith('..') || resolve(root, rel) !== dir) {
      throw new HubfleetError(`Terraform module ${dir} lies outside the terraform directory ${root}`, {
        hint: 'keep every local module under the terraform directory so the inputs digest covers it',
      });
    }
    for (const path of walk(dir)) {
      const key = relative(root, path).split(sep).join('/');
      if (files.has(key)) continue;
      const bytes = readFileSync(path);
      files.set(key, { path: key, bytes });
      if (path.endsWith('.tf')) {
        for (const source of localModuleSources(bytes.toString('utf8'))) pending.push(resolve(dir, source));
      }
    }
  }
  return [...files.values()];
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error: unknown) {
    throw new HubfleetError(`cannot read the Terraform module directory ${dir}`, {
      hint: 'check the terraform-dir input and that the repository is checked out',
      cause: error,
    });
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (isGenerated(entry.name)) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(path).isDirectory());
    if (isDir) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}
