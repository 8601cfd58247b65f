// The decisions of the GitHub checks: labels, Environments, secret names, runners. Pure; the facts
// come from src/adapters/github-settings.ts.
import { LABEL_DEPLOY_ALL, LABEL_REMOVE_HUB, LABEL_SKIP_DEPLOY } from '../plan/change-plan.js';
import { type CheckResult, type Fetched, fail, isUnanswered, pass, skip, unanswered } from './model.js';

/**
 * The pull-request labels the chain reads (src/plan/change-plan.ts). A person applies them to a
 * PR, so they must exist beforehand; the issue labels of the scheduled checks are created on
 * first use (ensureLabel) and are not checked.
 */
export const CHAIN_LABELS = [
  { name: LABEL_SKIP_DEPLOY, description: 'merge without deploying any hub' },
  { name: LABEL_DEPLOY_ALL, description: 'deploy every hub of the fleet' },
  { name: LABEL_REMOVE_HUB, description: 'uninstall the hubs whose files this PR deletes' },
] as const;

export function labelsCheck(repository: string, labels: Fetched<string[]>): CheckResult {
  if (isUnanswered(labels)) {
    return unanswered(
      'github-labels',
      'repository',
      `the labels of ${repository}`,
      labels,
      'give the token read access to the repository (Issues or Pull requests: read)',
    );
  }
  if (labels.kind === 'missing') {
    return fail(
      'github-labels',
      'repository',
      `repository ${repository} was not found`,
      'check --repository (or GITHUB_REPOSITORY) and that the token can see the repository',
    );
  }
  // GitHub matches label names case-insensitively.
  const have = new Set(labels.value.map((l) => l.toLowerCase()));
  const missing = CHAIN_LABELS.filter((l) => !have.has(l.name.toLowerCase()));
  if (missing.length === 0) {
    return pass('github-labels', 'repository', `the ${CHAIN_LABELS.length} labels the chain reads exist`);
  }
  return fail(
    'github-labels',
    'repository',
    `missing label${missing.length === 1 ? '' : 's'}: ${missing.map((l) => l.name).join(', ')}`,
    missing
      .map((l) => `gh label create '${l.name}' --repo ${repository} --description '${l.description}'`)
      .join('; '),
  );
}

/** GET /repos/{owner}/{repo}/environments/{name} and, with custom policies, its branch policies. */
export interface EnvironmentFacts {
  /** Users and teams of its `required_reviewers` protection rules. */
  reviewers: number;
  /** `deployment_branch_policy`; null: every branch may deploy. */
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
  branchPolicies: Array<{ name: string; type: string }>;
}

/** The Environments a cluster's jobs run in (docs/decisions/0029): only `main` may deploy to them. */
export const environmentNames = (cluster: string): { apply: string; staging: string; prod: string } => ({
  apply: `${cluster}-apply`,
  staging: `${cluster}-staging`,
  prod: `${cluster}-prod`,
});

export const DEPLOY_BRANCH = 'main';

export function environmentsCheck(
  cluster: string,
  environments: ReadonlyArray<{ name: string; needsReviewers: boolean; facts: Fetched<EnvironmentFacts> }>,
): CheckResult {
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const env of environments) {
    if (isUnanswered(env.facts)) {
      return unanswered(
        'github-environments',
        cluster,
        `Environment ${env.name}`,
        env.facts,
        'give the token Actions: read on the repository (a workflow: permissions: actions: read)',
      );
    }
    const where = `Settings → Environments → ${env.name}`;
    if (env.facts.kind === 'missing') {
      problems.push(`Environment ${env.name} does not exist`);
      fixes.push(
        `create ${env.name} (${where}) with deployment branches "Selected branches" = ${DEPLOY_BRANCH}${env.needsReviewers ? ' and required reviewers' : ''}`,
      );
      continue;
    }
    if (env.facts.kind !== 'ok') continue;
    const f = env.facts.value;
    const branchFix = `${where}: Deployment branches and tags → Selected branches and tags → ${DEPLOY_BRANCH} only`;
    if (f.branchPolicy === null) {
      problems.push(`${env.name} lets every branch deploy`);
      fixes.push(branchFix);
    } else if (f.branchPolicy.protectedBranches) {
      problems.push(`${env.name} lets every protected branch deploy, not ${DEPLOY_BRANCH} only`);
      fixes.push(branchFix);
    } else {
      const others = f.branchPolicies.filter((p) => !(p.type === 'branch' && p.name === DEPLOY_BRANCH));
      const hasMain = f.branchPolicies.some((p) => p.type === 'branch' && p.name === DEPLOY_BRANCH);
      if (others.length > 0 || !hasMain) {
        const allowed = f.branchPolicies.map((p) => `${p.type} ${p.name}`).join(', ') || 'nothing';
        problems.push(`${env.name} allows ${allowed}, not branch ${DEPLOY_BRANCH} only`);
        fixes.push(branchFix);
      }
    }
    if (env.needsReviewers && f.reviewers === 0) {
      problems.push(`${env.name} has no required reviewers`);
      fixes.push(`${where}: Required reviewers → add the people or team who approve prod deploys`);
    }
  }
  if (problems.length === 0) {
    return pass(
      'github-environments',
      cluster,
      `${environments.map((e) => e.name).join(', ')} exist and allow only ${DEPLOY_BRANCH}; prod has required reviewers`,
    );
  }
  return fail('github-environments', cluster, problems.join('; '), fixes.join('; '));
}

/** A secret a run reads, where it is named, and the Environment whose secrets also count. */
export interface NeededSecret {
  name: string;
  /** e.g. `config/clusters/c/hubs/ocean.yaml iap.oauthClient.secret`. */
  namedBy: string;
  /** The Environment the reading job runs in; undefined: a job outside any Environment. */
  environment?: string;
}

export function secretsCheck(
  scope: string,
  repository: string,
  needed: readonly NeededSecret[],
  repoSecrets: Fetched<string[]>,
  orgSecrets: Fetched<string[]>,
  environmentSecrets: ReadonlyMap<string, Fetched<string[]>>,
): CheckResult {
  if (needed.length === 0) return pass('github-secrets', scope, 'no secrets are named');
  const permission =
    'run doctor with a token that may list secret names (fine-grained: Secrets and Environments: read; a workflow GITHUB_TOKEN cannot)';
  if (isUnanswered(repoSecrets)) {
    return unanswered('github-secrets', scope, `the secret names of ${repository}`, repoSecrets, permission);
  }
  if (orgSecrets.kind === 'denied') {
    return skip(
      'github-secrets',
      scope,
      `the credentials may not list organization secrets (HTTP ${orgSecrets.status})`,
      permission,
    );
  }
  const names = (f: Fetched<string[]> | undefined): string[] => (f?.kind === 'ok' ? f.value : []);
  const shared = new Set([...names(repoSecrets), ...names(orgSecrets)]);
  const missing: NeededSecret[] = [];
  for (const need of needed) {
    if (shared.has(need.name)) continue;
    const env = need.environment === undefined ? undefined : environmentSecrets.get(need.environment);
    if (env?.kind === 'denied') {
      return skip(
        'github-secrets',
        scope,
        `the credentials may not list the secrets of ${need.environment ?? ''} (HTTP ${env.status})`,
        permission,
      );
    }
    if (names(env).includes(need.name)) continue;
    missing.push(need);
  }
  if (missing.length === 0) {
    return pass('github-secrets', scope, `the ${needed.length} secrets the config names exist (names only)`);
  }
  return fail(
    'github-secrets',
    scope,
    `missing secret${missing.length === 1 ? '' : 's'}: ${missing
      .map(
        (m) =>
          `${m.name} (${m.namedBy}${m.environment === undefined ? '' : `; or in Environment ${m.environment}`})`,
      )
      .join(', ')}`,
    missing
      .map(
        (m) =>
          `gh secret set ${m.name} --repo ${repository}${m.environment === undefined ? '' : ` --env ${m.environment}`}`,
      )
      .join('; '),
  );
}

/** GET /repos/{owner}/{repo}/actions/runners, per runner. */
export interface RunnerFacts {
  name: string;
  /** online | offline */
  status: string;
  labels: string[];
}

export function runnersCheck(
  cluster: string,
  labels: readonly string[],
  runners: Fetched<RunnerFacts[]>,
): CheckResult {
  if (isUnanswered(runners)) {
    return unanswered(
      'runners',
      cluster,
      'the self-hosted runners',
      runners,
      'run doctor with a token that may list runners (fine-grained: Administration: read; a workflow GITHUB_TOKEN cannot)',
    );
  }
  const list = runners.kind === 'ok' ? runners.value : [];
  // Runner labels are matched case-insensitively, as runs-on does.
  const want = labels.map((l) => l.toLowerCase());
  const matching = list.filter((r) => want.every((l) => r.labels.some((x) => x.toLowerCase() === l)));
  const online = matching.filter((r) => r.status === 'online');
  const asked = labels.join(', ');
  if (online.length > 0) {
    return pass(
      'runners',
      cluster,
      `${online.length} runner${online.length === 1 ? '' : 's'} online with ${asked}`,
    );
  }
  // ARC runner scale sets register their runners only while a job needs one, and the REST API
  // does not list scale sets (actions/actions-runner-controller#2990).
  const fix = `install the runner scale set inside the cluster's VPC (config/runners/${cluster}.yaml, scaleSetLabels: [${asked}]); a scale set with minRunners: 0 shows no runner while idle, so set minRunners: 1 or run doctor from a job on that runner`;
  if (matching.length > 0) {
    return fail(
      'runners',
      cluster,
      `the runners with ${asked} are offline: ${matching.map((r) => r.name).join(', ')}`,
      fix,
    );
  }
  return fail(
    'runners',
    cluster,
    `no self-hosted runner of this repository has the labels ${asked}`,
    `${fix}; runners registered to the organization are not listed for a repository (GET /repos/{owner}/{repo}/actions/runners): check those in the organization's settings`,
  );
}
