// Secrets out of a plan before anyone sees it. `terraform show -json` prints sensitive values in
// clear text and marks where they are (`before_sensitive`, `after_sensitive`, `sensitive_values`,
// `sensitive: true` on outputs and variables); every marked value is replaced here. The values
// found are also returned, so the same strings can be scrubbed from the plan text and masked in
// the log, in case something prints a copy without the mark.

export const REDACTED = '(sensitive value)';

/** Shorter values are not scrubbed from free text: "true" or "us" would blank out every line. */
export const MIN_SCRUBBED_LENGTH = 4;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface RedactedPlan {
  plan: unknown;
  /** Every sensitive string value (including those inside sensitive objects), deduplicated. */
  secrets: string[];
}

/** A copy of the plan JSON with every value Terraform marks as sensitive replaced by REDACTED. */
export function redactPlanJson(plan: unknown): RedactedPlan {
  const secrets = new Set<string>();
  if (!isObject(plan)) return { plan, secrets: [] };
  const copy = structuredClone(plan);

  for (const field of ['resource_changes', 'resource_drift'] as const) {
    const list = copy[field];
    if (!Array.isArray(list)) continue;
    for (const rc of list) {
      const change = isObject(rc) ? rc['change'] : undefined;
      if (!isObject(change)) continue;
      redactChange(change, secrets);
    }
  }
  const outputChanges = copy['output_changes'];
  if (isObject(outputChanges)) {
    for (const change of Object.values(outputChanges)) if (isObject(change)) redactChange(change, secrets);
  }
  for (const field of ['planned_values', 'prior_state'] as const) {
    const values = copy[field];
    if (!isObject(values)) continue;
    const stateValues = field === 'prior_state' ? values['values'] : values;
    if (isObject(stateValues)) redactStateValues(stateValues, secrets);
  }

  const configuration = copy['configuration'];
  const rootModule = isObject(configuration) ? configuration['root_module'] : undefined;
  const sensitiveVariables = isObject(rootModule) ? redactConfigModule(rootModule, secrets) : new Set();
  const variables = copy['variables'];
  if (isObject(variables)) {
    for (const [name, variable] of Object.entries(variables)) {
      if (sensitiveVariables.has(name) && isObject(variable) && 'value' in variable) {
        variable['value'] = redactValue(variable['value'], true, secrets);
      }
    }
  }
  return { plan: copy, secrets: [...secrets].sort() };
}

/** before/after of a resource or output change, by before_sensitive/after_sensitive. */
function redactChange(change: Json, secrets: Set<string>): void {
  change['before'] = redactValue(change['before'], change['before_sensitive'], secrets);
  change['after'] = redactValue(change['after'], change['after_sensitive'], secrets);
}

/** `{outputs, root_module}` of planned_values or a state: resources by sensitive_values. */
function redactStateValues(values: Json, secrets: Set<string>): void {
  const outputs = values['outputs'];
  if (isObject(outputs)) {
    for (const output of Object.values(outputs)) {
      if (isObject(output) && output['sensitive'] === true) {
        output['value'] = redactValue(output['value'], true, secrets);
      }
    }
  }
  const root = values['root_module'];
  if (isObject(root)) redactStateModule(root, secrets);
}

function redactStateModule(module: Json, secrets: Set<string>): void {
  const resources = module['resources'];
  if (Array.isArray(resources)) {
    for (const resource of resources) {
      if (!isObject(resource)) continue;
      resource['values'] = redactValue(resource['values'], resource['sensitive_values'], secrets);
    }
  }
  const children = module['child_modules'];
  if (Array.isArray(children))
    for (const child of children) if (isObject(child)) redactStateModule(child, secrets);
}

/** Defaults of sensitive variables, in this module and its calls; returns this module's sensitive names. */
function redactConfigModule(module: Json, secrets: Set<string>): Set<string> {
  const sensitive = new Set<string>();
  const variables = module['variables'];
  if (isObject(variables)) {
    for (const [name, variable] of Object.entries(variables)) {
      if (!isObject(variable) || variable['sensitive'] !== true) continue;
      sensitive.add(name);
      if ('default' in variable) variable['default'] = redactValue(variable['default'], true, secrets);
    }
  }
  const calls = module['module_calls'];
  if (isObject(calls)) {
    for (const call of Object.values(calls)) {
      const child = isObject(call) ? call['module'] : undefined;
      if (isObject(child)) redactConfigModule(child, secrets);
    }
  }
  return sensitive;
}

/**
 * `value` with the parts `marks` flags replaced. Marks mirror the value's shape: `true` marks the
 * whole value, an object or list marks inside it, `false`/absent marks nothing. A sensitive null
 * stays null (there is nothing to hide, and it shows the value is absent).
 */
export function redactValue(value: unknown, marks: unknown, secrets: Set<string>): unknown {
  if (marks === true) {
    if (value === null || value === undefined) return value;
    collectStrings(value, secrets);
    return REDACTED;
  }
  if (Array.isArray(marks) && Array.isArray(value)) {
    return value.map((item, i) => redactValue(item, marks[i], secrets));
  }
  if (isObject(marks) && isObject(value)) {
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, marks[key], secrets);
    return out;
  }
  return value;
}

function collectStrings(value: unknown, secrets: Set<string>): void {
  if (typeof value === 'string') secrets.add(value);
  else if (typeof value === 'number' || typeof value === 'boolean') secrets.add(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, secrets);
  else if (isObject(value)) for (const item of Object.values(value)) collectStrings(item, secrets);
}

/**
 * `text` with every secret long enough to matter replaced by REDACTED, in its plain form and as it
 * appears inside a JSON string. Longest first, so a secret that contains another is removed whole.
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SCRUBBED_LENGTH) continue;
    forms.add(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) forms.add(escaped);
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
  return out;
}
