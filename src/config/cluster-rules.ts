// Rules for one cluster.yaml beyond its schema.
import type { ConfigProblem, Provider } from './model.js';
import { hasKey } from './field-path.js';
import { problemAt, type YamlSource } from './yaml-source.js';

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
          `required field is missing: provider ${provider} needs a ${provider}: block`,
        ),
      );
    }
    if (hasKey(data, other)) {
      problems.push(
        problemAt(
          source,
          [other],
          'key',
          `${foreignFieldMessage(other, provider)}: remove ${other}: (provider is ${provider})`,
        ),
      );
    }
  }
  return problems;
}
