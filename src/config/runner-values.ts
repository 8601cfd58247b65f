// Checks of the in-VPC runner scale sets (config/runners/<cluster>.yaml): values for Actions Runner
// Controller's gha-runner-scale-set chart, and the Kubernetes service account the runners use.
// The shape follows the chart's values.yaml and templates at gha-runner-scale-set-0.14.2 (commit
// 9bb16ae49d0ce585d8e682aa7e2668a6e832d5d8 of actions/actions-runner-controller), which has no
// values.schema.json of its own; the rules are hubfleet's security policy for runners.
import { Ajv, type ErrorObject } from 'ajv';
import type { ClusterConfig } from './model.js';

export interface RunnerProblem {
  file: string;
  field: string;
  message: string;
}

const str = { type: 'string' } as const;
const obj = { type: 'object' } as const;
const podTemplate = {
  type: 'object',
  properties: {
    metadata: obj,
    spec: {
      type: 'object',
      required: ['containers'],
      properties: {
        serviceAccountName: str,
        containers: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', required: ['name'], properties: { name: str, image: str } },
        },
        initContainers: { type: 'array', items: { type: 'object', required: ['name'] } },
        volumes: { type: 'array', items: { type: 'object', required: ['name'] } },
      },
    },
  },
  required: ['spec'],
  additionalProperties: false,
} as const;

/** Every top-level key the chart's templates read (`.Values.<key>`); anything else is a typo. */
export const SCALE_SET_VALUES_SCHEMA = {
  type: 'object',
  required: ['githubConfigUrl', 'githubConfigSecret', 'template'],
  additionalProperties: false,
  properties: {
    githubConfigUrl: { type: 'string', pattern: '^https://' },
    githubConfigSecret: { anyOf: [{ type: 'string', minLength: 1 }, obj] },
    scaleSetLabels: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 255 } },
    runnerScaleSetName: str,
    runnerGroup: str,
    minRunners: { type: 'integer', minimum: 0 },
    maxRunners: { type: 'integer', minimum: 0 },
    proxy: obj,
    githubServerTLS: obj,
    keyVault: obj,
    containerMode: {
      type: 'object',
      properties: { type: { enum: ['dind', 'kubernetes', 'kubernetes-novolume'] } },
    },
    listenerTemplate: obj,
    listenerMetrics: obj,
    template: podTemplate,
    controllerServiceAccount: obj,
    namespaceOverride: str,
    nameOverride: str,
    labels: obj,
    annotations: obj,
    resourceMeta: obj,
  },
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);

const GCP_ANNOTATION = 'iam.gke.io/gcp-service-account';
const AWS_ANNOTATION = 'eks.amazonaws.com/role-arn';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile(SCALE_SET_VALUES_SCHEMA);

function shapeProblems(file: string, errors: readonly ErrorObject[]): RunnerProblem[] {
  return errors.map((e) => {
    const extra = e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : '';
    const field = `${e.instancePath}${extra}`.replace(/^\//, '').replace(/\//g, '.');
    const message =
      e.keyword === 'additionalProperties'
        ? 'not a value of the gha-runner-scale-set chart'
        : (e.message ?? e.keyword);
    return { file, field, message };
  });
}

/**
 * Every problem with one cluster's scale-set values and service account. `values` and
 * `serviceAccount` are the parsed YAML documents.
 */
export function checkRunnerScaleSet(input: {
  cluster: ClusterConfig;
  valuesFile: string;
  values: unknown;
  serviceAccountFile: string;
  serviceAccount: unknown;
}): RunnerProblem[] {
  const { cluster, valuesFile: file } = input;
  const problems: RunnerProblem[] = [];
  const p = (field: string, message: string, where = file): void => {
    problems.push({ file: where, field, message });
  };
  if (!validateShape(input.values)) problems.push(...shapeProblems(file, validateShape.errors ?? []));
  const values = asObj(input.values);

  if (values.minRunners !== 0) p('minRunners', 'must be 0: idle clusters run no runner pods');
  const labels = list(values.scaleSetLabels);
  const wanted = cluster.runner.labels;
  if (labels.length !== wanted.length || labels.some((l, i) => l !== wanted[i])) {
    p(
      'scaleSetLabels',
      `must equal the cluster's runner.labels [${wanted.join(', ')}], which every job asks for`,
    );
  }
  const mode = asObj(values.containerMode).type;
  if (mode === 'dind')
    p('containerMode.type', 'Docker-in-Docker needs a privileged container; hubfleet jobs need no Docker');

  const spec = asObj(asObj(values.template).spec);
  const containers = [...list(spec.containers), ...list(spec.initContainers)].map(asObj);
  containers.forEach((c) => {
    const name = typeof c.name === 'string' ? c.name : '?';
    const security = asObj(c.securityContext);
    if (security.privileged === true)
      p(`template.spec.containers[${name}].securityContext.privileged`, 'no privileged runner pods');
    if (security.allowPrivilegeEscalation !== false && list(spec.containers).includes(c)) {
      p(`template.spec.containers[${name}].securityContext.allowPrivilegeEscalation`, 'must be false');
    }
    if (typeof c.image === 'string' && /(:latest|^[^:@]+)$/.test(c.image)) {
      p(`template.spec.containers[${name}].image`, `${c.image} is not pinned to a version or digest`);
    }
    if (/docker|dind/i.test(name) || (typeof c.image === 'string' && /(^|\/)docker:/.test(c.image))) {
      p(`template.spec.containers[${name}]`, 'no Docker daemon side-car (Docker-in-Docker)');
    }
  });
  list(spec.volumes)
    .map(asObj)
    .forEach((v) => {
      if (v.hostPath !== undefined)
        p(
          `template.spec.volumes[${String(v.name)}].hostPath`,
          'no hostPath volumes (the node, or its Docker socket)',
        );
    });

  const saName = spec.serviceAccountName;
  const sa = asObj(input.serviceAccount);
  const meta = asObj(sa.metadata);
  const saFile = input.serviceAccountFile;
  if (typeof saName !== 'string' || saName === '') {
    p(
      'template.spec.serviceAccountName',
      "must name the runners' own service account (one with no cloud identity)",
    );
  } else if (sa.kind !== 'ServiceAccount' || meta.name !== saName) {
    p(
      'metadata.name',
      `must be a ServiceAccount named ${saName}, as template.spec.serviceAccountName says`,
      saFile,
    );
  }
  // Runners carry no cloud identity (README "Security model"): every job logs in through OIDC as
  // the planner or, in an Environment that allows only main, the applier. A Workload Identity or
  // IRSA binding here would hand the applier to any code a runner runs, a pull request's included.
  const annotations = asObj(meta.annotations);
  for (const [key, what] of [
    [GCP_ANNOTATION, 'Workload Identity'],
    [AWS_ANNOTATION, 'IRSA'],
  ] as const) {
    if (annotations[key] !== undefined) {
      p(
        `metadata.annotations.${key}`,
        `must not be set: runner pods carry no cloud identity (${what}); jobs log in through OIDC as the planner or the applier`,
        saFile,
      );
    }
  }
  if (spec.automountServiceAccountToken !== false) {
    p(
      'template.spec.automountServiceAccountToken',
      'must be false: a job needs no Kubernetes identity of its own (the runner, without containerMode, never calls the API)',
    );
  }
  return problems;
}
