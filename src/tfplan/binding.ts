// How a reviewed plan is bound to its apply (docs/decisions/0011-reviewed-plan-binding.md): the
// plan file's sha256 and the inputs digest shown on the PR must both equal what apply-iam finds.
import { HubfleetError } from '../errors.js';

export interface ReviewedPlan {
  planSha256: string;
  inputsDigest: string;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** Problems with the reviewed values as given (typos, truncation), before anything is compared. */
export function reviewedPlanProblems(reviewed: ReviewedPlan): string[] {
  const problems: string[] = [];
  if (!SHA256_PATTERN.test(reviewed.planSha256)) {
    problems.push(
      `input "expected-plan-sha256": expected 64 lowercase hex digits, got ${JSON.stringify(reviewed.planSha256)}`,
    );
  }
  if (!DIGEST_PATTERN.test(reviewed.inputsDigest)) {
    problems.push(
      `input "expected-inputs-digest": expected sha256:<64 hex digits>, got ${JSON.stringify(reviewed.inputsDigest)}`,
    );
  }
  return problems;
}

const short = (text: string): string => (text.length > 19 ? `${text.slice(0, 19)}…` : text);

export const REPLAN_HINT =
  're-run plan-cluster for this cluster (push to the PR or re-run its plan job), review the new plan comment, and merge again; apply-iam applies only the plan that was reviewed';

/** Every way the found plan differs from the reviewed one; empty when they match. */
export function bindingMismatches(reviewed: ReviewedPlan, found: ReviewedPlan): string[] {
  const mismatches: string[] = [];
  if (found.planSha256 !== reviewed.planSha256) {
    mismatches.push(
      `plan file sha256 differs from the reviewed plan (${short(found.planSha256)} ≠ reviewed ${short(reviewed.planSha256)})`,
    );
  }
  if (found.inputsDigest !== reviewed.inputsDigest) {
    mismatches.push(
      `inputs digest of the checked-out config and terraform code differs from the reviewed one (${short(found.inputsDigest)} ≠ reviewed ${short(reviewed.inputsDigest)})`,
    );
  }
  return mismatches;
}

export function refuseApply(cluster: string, mismatches: readonly string[]): HubfleetError {
  return new HubfleetError(`apply refused for ${cluster}: ${mismatches.join('; ')}`, { hint: REPLAN_HINT });
}
