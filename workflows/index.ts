// Every workflow hubfleet generates, in the order they are written.
import { ci } from './ci.js';
import { deploy } from './deploy.js';
import { hubPr } from './hub-pr.js';
import type { Workflow } from './model.js';
import { recreateCert } from './recreate-cert.js';
import { release } from './release.js';
import { renderWorkflow, type RenderedWorkflow } from './render.js';
import { rollbackHub } from './rollback-hub.js';
import { scheduled } from './scheduled.js';

export const WORKFLOWS: readonly Workflow[] = [
  ci,
  hubPr,
  deploy,
  recreateCert,
  rollbackHub,
  scheduled,
  release,
];

export function renderAll(): RenderedWorkflow[] {
  return WORKFLOWS.map((w) => renderWorkflow(w));
}

/** What a fleet repository runs: the chain, without this repository's own CI and release. */
export const FLEET_WORKFLOWS: readonly Workflow[] = [hubPr, deploy, recreateCert, rollbackHub, scheduled];
