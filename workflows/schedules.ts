// The crons of the scheduled workflow's checks, apart from the workflow itself so the config
// loader (which checks config/fleet.yaml's health cadence against them) does not load the
// workflow builders on every CLI start.
export const SCHEDULES = {
  drift: '23 4 * * *',
  certificates: '41 */6 * * *',
  iap: '7 * * * *',
  // A server start per hub per run: daily by default; a fleet sets its own in config/fleet.yaml
  // (schedules.health, src/config/fleet-settings.ts), passed to scheduledWorkflow.
  health: '37 5 * * *',
  images: '53 3 * * *',
} as const;

/** The crons a fleet's health cadence may not take: the workflow tells the checks apart by them. */
export const OTHER_CHECK_SCHEDULES: readonly string[] = [
  SCHEDULES.drift,
  SCHEDULES.certificates,
  SCHEDULES.iap,
  SCHEDULES.images,
];
