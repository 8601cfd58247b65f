// The environment every process the bench starts gets: the machine's, without NODE_* variables.
// NODE_EXTRA_CA_CERTS alone adds ~30 ms to every `node` start on some machines (node -e '' too),
// which halves every ratio; NODE_OPTIONS can add preloads. GitHub's hosted runners set none of
// them, so the targets are measured without them, in every section alike. The figures with the
// machine's own environment are printed as a note by cli-cold.

/** Names of the variables removed from a child's environment. */
export function nodeVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((k) => /^NODE_/i.test(k))
    .sort();
}

/** `base` (default: this process's environment) without NODE_*, plus `extra`. */
export function cleanEnv(
  extra: NodeJS.ProcessEnv = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!/^NODE_/i.test(k)) env[k] = v;
  for (const [k, v] of Object.entries(extra)) if (!/^NODE_/i.test(k)) env[k] = v;
  return env;
}
