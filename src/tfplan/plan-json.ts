// Reading `terraform show -json <planfile>` (format 1.x, documented at
// https://developer.hashicorp.com/terraform/internals/json-format) into what a reviewer needs:
// how many resources are added, changed, destroyed and replaced, which ones, and what changed
// outside Terraform. Pure: the JSON in, a summary out.
import { HubfleetError } from '../errors.js';

/** What happens to one resource, in the words of Terraform's own plan line. */
export type ResourceAction = 'destroy' | 'replace' | 'change' | 'add' | 'import' | 'forget' | 'read';

/** Destroys first: they are what a reviewer must not miss. */
export const ACTION_ORDER: readonly ResourceAction[] = [
  'destroy',
  'replace',
  'change',
  'add',
  'import',
  'forget',
  'read',
];

export interface PlannedResource {
  address: string;
  action: ResourceAction;
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`, when it gives one. */
  reason?: string;
}

/** A resource whose real state differs from the last known state (found while refreshing). */
export interface DriftedResource {
  address: string;
  change: 'changed' | 'deleted';
}

export type PlanCounts = Record<'add' | 'change' | 'destroy' | 'replace' | 'import' | 'forget', number>;

export interface PlanSummary {
  counts: PlanCounts;
  /** Every resource Terraform would touch, destroys first, then by address. */
  resources: PlannedResource[];
  /** Changed or deleted outside Terraform. */
  drift: DriftedResource[];
  /** Root outputs whose value would change. */
  outputChanges: string[];
  terraformVersion: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asStringArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function unexpected(why: string): HubfleetError {
  return new HubfleetError(`terraform show -json returned a document hubfleet cannot read: ${why}`, {
    hint: 'use Terraform 1.x (JSON format 1.x); the plan text above in the log is still correct',
  });
}

/** The action of one `change.actions` list, or undefined for no-op (nothing happens). */
export function actionOf(actions: readonly string[], importing: boolean): ResourceAction | undefined {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'add';
    case 'update':
      return 'change';
    case 'delete':
      return 'destroy';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'read':
      return 'read';
    case 'forget':
      return 'forget';
    case 'no-op':
    case '':
      return importing ? 'import' : undefined;
    default:
      throw unexpected(`unknown resource actions [${key}]`);
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortResources<T extends { address: string; action: ResourceAction }>(list: T[]): T[] {
  return list.sort(
    (a, b) =>
      ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || compareText(a.address, b.address),
  );
}

export function summarizePlan(plan: unknown): PlanSummary {
  if (!isObject(plan)) throw unexpected('not a JSON object');
  const format = plan['format_version'];
  if (typeof format !== 'string' || !format.startsWith('1.')) {
    throw unexpected(`format_version ${JSON.stringify(format)}, expected 1.x`);
  }
  const counts: PlanCounts = { add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 };
  const resources: PlannedResource[] = [];
  for (const rc of arrayField(plan, 'resource_changes')) {
    const address = rc['address'];
    const change = rc['change'];
    if (typeof address !== 'string' || !isObject(change))
      throw unexpected('a resource change has no address');
    const importing = isObject(change['importing']);
    const action = actionOf(asStringArray(change['actions']), importing);
    if (action === undefined) continue;
    if (action !== 'read') counts[action] += 1;
    // An import that also changes the resource is counted as both, as Terraform's plan line does.
    if (importing && action !== 'import') counts.import += 1;
    const reason = rc['action_reason'];
    resources.push(typeof reason === 'string' ? { address, action, reason } : { address, action });
  }
  const drift: DriftedResource[] = [];
  for (const rd of arrayField(plan, 'resource_drift')) {
    const address = rd['address'];
    const change = rd['change'];
    if (typeof address !== 'string' || !isObject(change)) continue;
    const actions = asStringArray(change['actions']).join(',');
    if (actions === 'update') drift.push({ address, change: 'changed' });
    else if (actions === 'delete') drift.push({ address, change: 'deleted' });
  }
  drift.sort((a, b) => compareText(a.address, b.address));
  const outputChanges: string[] = [];
  const outputs = plan['output_changes'];
  if (isObject(outputs)) {
    for (const [name, change] of Object.entries(outputs)) {
      if (!isObject(change)) continue;
      const actions = asStringArray(change['actions']).join(',');
      if (actions !== 'no-op' && actions !== '') outputChanges.push(name);
    }
  }
  outputChanges.sort(compareText);
  const version = plan['terraform_version'];
  return {
    counts,
    resources: sortResources(resources),
    drift,
    outputChanges,
    terraformVersion: typeof version === 'string' ? version : 'unknown',
  };
}

function arrayField(plan: Json, name: string): Json[] {
  const value = plan[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw unexpected(`${name} is not a list`);
  return value.filter(isObject);
}

/** Whether applying the plan would change any resource (outputs alone do not count). */
export function changesResources(summary: PlanSummary): boolean {
  return summary.resources.some((r) => r.action !== 'read');
}

/** `2 to add, 1 to change, 0 to destroy, 1 to replace` (imports and forgets only when present). */
export function countsLine(counts: PlanCounts): string {
  const parts = [
    `${counts.add} to add`,
    `${counts.change} to change`,
    `${counts.destroy} to destroy`,
    `${counts.replace} to replace`,
  ];
  if (counts.import > 0) parts.push(`${counts.import} to import`);
  if (counts.forget > 0) parts.push(`${counts.forget} to forget`);
  return parts.join(', ');
}
