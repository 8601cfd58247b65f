import * as core from '@actions/core';
import { errorDetail, errorMessage, findHint } from '../errors.js';
import { setOutputs, type OutputRecord } from './outputs.js';

/** What to do when the failure carries no hint of its own (a bug or an unforeseen state). */
export const UNEXPECTED_HINT =
  'this was not expected; re-run the job with debug logging enabled for the stack trace, and report it if it repeats';

/**
 * Runs an action's main and turns any failure into one actionable line. The only place that
 * calls `core.setFailed`; it never rejects, so `index.ts` needs no handler of its own.
 */
export async function run(main: () => Promise<OutputRecord | void>): Promise<void> {
  try {
    const outputs = await main();
    if (outputs) setOutputs(outputs);
  } catch (error: unknown) {
    // The stack and causes go to the debug log; the runner masks registered secrets there.
    core.debug(errorDetail(error));
    core.setFailed(failureLine(error));
  }
}

/** `<what failed — why>; <what to do>` on one line. */
export function failureLine(error: unknown): string {
  const message = errorMessage(error).replace(/[.;:\s]+$/, '');
  const hint = findHint(error) ?? UNEXPECTED_HINT;
  return `${message}; ${hint}`;
}
