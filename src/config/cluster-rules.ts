// Rules for one cluster.yaml beyond its schema.
import type { ConfigProblem, Provider } from './model.js';
import { hasKey, type FieldPath } from './field-path.js';
import { problemAt, type YamlSource } from './config-source.js';
import { gkeClusterRules } from './gke-cluster-rules.js';
import { networkRules } from './network-rules.js';

export function providerOf(data: Record<string, unknown>): Provider | undefined {
  const provider = data.provider;
  return provider === 'gcp' || provider === 'aws' ? provider : undefined;
}

export const PROVIDER_LABEL: Readonly<Record<Provider, string>> = { gcp: 'GCP', aws: 'AWS' };

/** "GCP-only field on an AWS cluster" — the words used for every cross-provider field. */
export function foreignFieldMessage(owner: Provider, provider: Provider): string {
  const article = provider === 'aws' ? 'an' : 'a';
  return `${PROVIDER_LABEL[owner]}-only field on ${article} ${PROVIDER_LABEL[provider]} cluster`;
}

// Problems for fields that must be removed as a whole; schema problems inside them would only be noise.
const wholeFieldProblems = new WeakSet<ConfigProblem>();

export function foreignField(
  source: YamlSource,
  path: FieldPath,
  owner: Provider,
  provider: Provider,
  advice: string,
): ConfigProblem {
  const problem = problemAt(source, path, 'key', `${foreignFieldMessage(owner, provider)}: ${advice}`);
  wholeFieldProblems.add(problem);
  return problem;
}

/** True when `problem` asks to remove its field, so problems inside that field need not be shown. */
export function coversNestedProblems(problem: ConfigProblem): boolean {
  return wholeFieldProblems.has(problem);
}

export function clusterRules(source: YamlSource, dirName: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const data = source.data;
  if (typeof data.name === 'string' && data.name !== dirName) {
    problems.push(
      problemAt(
        source,
        ['name'],
        'value',
        `must equal the cluster's directory name "${dirName}" (got "${data.name}")`,
      ),
    );
  }
  const provider = providerOf(data);
  if (provider !== undefined) {
    const other: Provider = provider === 'gcp' ? 'aws' : 'gcp';
    if (!hasKey(data, provider)) {
      problems.push(
        problemAt(
          source,
          [provider],
          'value',
          `required field is missing: provider ${provider} needs the ${provider}: block`,
        ),
      );
    }
    if (hasKey(data, other)) {
      problems.push(
        foreignField(source, [other], other, provider, `remove ${other}: (provider is ${provider})`),
      );
    }
  }
  problems.push(...gkeClusterRules(source), ...networkRules(source));
  return problems;
}
