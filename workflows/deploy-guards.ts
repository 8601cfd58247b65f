// Conditions the deploy workflow's jobs share (deploy.ts, prod-gate.ts), in one module so neither
// imports the other.

/**
 * Part of every `if:` that runs a job after a failure elsewhere (`!cancelled()`): a failed affected
 * job still hands on its outputs, so without this a refused change would be applied anyway.
 */
export const AFFECTED_PASSED = "needs.affected.result == 'success'";

/**
 * apply-iam is skipped when the run stopped before it (a failed or rejected uninstall): no cluster
 * has its iam artifact. Not `== 'success'`: one cluster's failed apply must not stop another
 * cluster's stages (each row checks its own artifact).
 */
export const APPLY_IAM_RAN = "needs.apply-iam.result != 'skipped'";

/** apply-iam's guard: the uninstall passed, or had nothing to do (never after a cancelled one). */
export const UNINSTALL_DONE = "(needs.uninstall.result == 'success' || needs.uninstall.result == 'skipped')";
