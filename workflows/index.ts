// Every workflow hubfleet generates, in the order they are written.
import { ci } from './ci.js';
import { deploy } from './deploy.js';
import { hubPr } from './hub-pr.js';
import type { Workflow } from './model.js';
import { recreateCert } from './recreate-cert.js';
import { release } from './release.js';
import { renderWorkflow, type RenderedWorkflow } from './render.js';
import { rollbackHub } from './rollback-hub.js';
import { scheduled, scheduledWorkflow } from './scheduled.js';

export const WORKFLOWS: readonly Workflow[] = [
  ci,
  hubPr,
  deploy,
  recreateCert,
  rollbackHub,
  scheduled,
  release,
];

/** Every workflow; `fleet` carries the fleet's own settings (config/fleet.yaml) where they apply. */
export function renderAll(fleet: { healthSchedule?: string } = {}): RenderedWorkflow[] {
  return WORKFLOWS.map((w) => (w === scheduled ? scheduledWorkflow(fleet) : w)).map((w) => renderWorkflow(w));
}

/** What a fleet repository runs: the chain, without this repository's own CI and release. */
export const FLEET_WORKFLOWS: readonly Workflow[] = [hubPr, deploy, recreateCert, rollbackHub, scheduled];

/** The fleet's workflows with its own settings (config/fleet.yaml) applied where they apply. */
export function fleetWorkflows(fleet: { healthSchedule?: string } = {}): Workflow[] {
  return FLEET_WORKFLOWS.map((w) => (w === scheduled ? scheduledWorkflow(fleet) : w));
}
