// What hub-health may take in a deploy stage job, derived from its action.yml defaults (the stage
// workflow passes none of these, so the defaults are what runs; a test holds the two together).
// An attempt that spawns slowly runs until spawn-timeout; three of them (attempts) fit the
// retry-budget (30m: a new attempt starts only before it, and the third starts by ~20m). z2jh's
// own start timeout (`singleuser.startTimeout`, 300 s) is shorter than spawn-timeout, so JupyterHub
// has given up on a pending spawn by then and the stop between attempts is immediate.

/** hub-health's `attempts` default. */
export const HEALTH_ATTEMPTS = 3;
/** hub-health's `spawn-timeout` default, in minutes. */
export const HEALTH_SPAWN_TIMEOUT_MINUTES = 10;
/** hub-health's `cell-timeout` default, in minutes. */
export const HEALTH_CELL_TIMEOUT_MINUTES = 5;
/** Cells one attempt runs at most: the kernel cell, the scratch-bucket cell and the Dask cell. */
export const HEALTH_CELLS = 3;
/** hub-health's `concurrency` default: hubs checked at the same time. */
export const HEALTH_CONCURRENCY = 4;
/** Kernel start and delete, the server stop, and the waits between attempts (5 s, 10 s), rounded up. */
export const HEALTH_OVERHEAD_MINUTES = 1;

/**
 * One wave of hubs checked at once, at the worst case that still passes: every attempt spawns
 * until spawn-timeout, and the last one then runs every cell to cell-timeout.
 * 3 × 10 + 3 × 5 + 1 = 46 minutes.
 */
export const HEALTH_MINUTES_PER_HUB_WAVE =
  HEALTH_ATTEMPTS * HEALTH_SPAWN_TIMEOUT_MINUTES +
  HEALTH_CELLS * HEALTH_CELL_TIMEOUT_MINUTES +
  HEALTH_OVERHEAD_MINUTES;

/** Minutes hub-health needs for `hubCount` hubs of one stage job. */
export function healthCheckMinutes(hubCount: number): number {
  return Math.ceil(hubCount / HEALTH_CONCURRENCY) * HEALTH_MINUTES_PER_HUB_WAVE;
}
