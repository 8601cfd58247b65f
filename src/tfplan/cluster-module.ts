// One cluster's Terraform inputs as both actions see them: the root module for its provider, the
// rendered variables (the same bytes `hubfleet render` writes), the inputs digest over both, and
// the backend settings from cluster.yaml.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoadedCluster } from '../config/model.js';
import { HubfleetError } from '../errors.js';
import { toStableJson } from '../render/serialize.js';
import { renderTfvars } from '../render/tfvars.js';
import { backendConfig, declaredBackend } from './backend.js';
import { collectModuleFiles, inputsDigest } from './inputs-digest.js';

export interface ClusterModule {
  cluster: string;
  /** The terraform directory holding gcp/ and aws/, absolute (module file paths are relative to it). */
  terraformDir: string;
  /** terraform/<provider>, absolute. */
  moduleDir: string;
  tfvarsJson: string;
  /** Where the variables were written for -var-file. */
  tfvarsPath: string;
  inputsDigest: string;
  backendType: string | undefined;
  /** `key=value` settings for -backend-config. */
  backendConfig: string[];
}

export async function prepareClusterModule(args: {
  cluster: LoadedCluster;
  /** The terraform directory, relative to the workspace or absolute. */
  terraformDir: string;
  workspace: string;
  /** Where the rendered variables are written (outside the module, so the digest is unaffected). */
  workDir: string;
}): Promise<ClusterModule> {
  const name = args.cluster.config.name;
  const terraformDir = resolve(args.workspace, args.terraformDir);
  const moduleDir = join(terraformDir, args.cluster.config.provider);
  if (!existsSync(moduleDir) || !statSync(moduleDir).isDirectory()) {
    throw new HubfleetError(
      `no Terraform root module at ${moduleDir} for ${args.cluster.config.provider} cluster ${name}`,
      {
        hint: 'check the terraform-dir input: it names the directory holding gcp/ and aws/',
      },
    );
  }
  const tfvarsJson = toStableJson(renderTfvars(args.cluster));
  const files = collectModuleFiles(terraformDir, moduleDir);
  const tfTexts = readdirSync(moduleDir)
    .filter((f) => f.endsWith('.tf'))
    .sort()
    .map((f) => readFileSync(join(moduleDir, f), 'utf8'));
  const backendType = declaredBackend(tfTexts);
  const config = backendConfig(args.cluster.config, backendType, moduleDir);
  await mkdir(args.workDir, { recursive: true });
  const tfvarsPath = join(args.workDir, 'terraform.tfvars.json');
  await writeFile(tfvarsPath, tfvarsJson);
  return {
    cluster: name,
    terraformDir,
    moduleDir,
    tfvarsJson,
    tfvarsPath,
    inputsDigest: inputsDigest(tfvarsJson, files),
    backendType,
    backendConfig: config,
  };
}

/** One log line saying where the state lives. */
export function describeBackend(module: ClusterModule): string {
  if (module.backendConfig.length === 0) {
    return `backend ${module.backendType ?? 'none'}: state where the module (or TF_CLI_ARGS_init) puts it`;
  }
  return `backend ${module.backendType ?? ''}: ${module.backendConfig.join(', ')} (from cluster.yaml terraform.backend)`;
}

/**
 * The inputs digest over the module as it is now: after plan-cluster's `terraform init` has written
 * .terraform.lock.hcl into a module that commits none, the digest must cover that lock file too
 * (src/tfplan/lock-file.ts).
 */
export function currentInputsDigest(module: ClusterModule): string {
  return inputsDigest(module.tfvarsJson, collectModuleFiles(module.terraformDir, module.moduleDir));
}
