import { describe, expect, it } from '@jest/globals';
import { REPLAN_HINT, bindingMismatches, refuseApply, reviewedPlanProblems } from './binding.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const reviewed = { planSha256: A, inputsDigest: `sha256:${A}` };

describe('reviewed plan binding', () => {
  it('matches when both are equal', () => {
    expect(bindingMismatches(reviewed, { ...reviewed })).toEqual([]);
  });

  it('names every mismatch, shortened', () => {
    expect(bindingMismatches(reviewed, { planSha256: B, inputsDigest: `sha256:${B}` })).toEqual([
      `plan file sha256 differs from the reviewed plan (bbbbbbbbbbbbbbbbbbb… ≠ reviewed aaaaaaaaaaaaaaaaaaa…)`,
      `inputs digest of the checked-out config and terraform code differs from the reviewed one (sha256:bbbbbbbbbbbb… ≠ reviewed sha256:aaaaaaaaaaaa…)`,
    ]);
  });

  it('refuses with how to re-plan', () => {
    const error = refuseApply('pangeo-gcp', ['x differs']);
    expect(error.message).toBe('apply refused for pangeo-gcp: x differs');
    expect(error.hint).toBe(REPLAN_HINT);
    expect(REPLAN_HINT).toContain('re-run plan-cluster');
  });

  it('checks the shape of the reviewed values', () => {
    expect(reviewedPlanProblems(reviewed)).toEqual([]);
    expect(reviewedPlanProblems({ planSha256: 'A'.repeat(64), inputsDigest: A })).toEqual([
      `input "expected-plan-sha256": expected 64 lowercase hex digits, got "${'A'.repeat(64)}"`,
      `input "expected-inputs-digest": expected sha256:<64 hex digits>, got "${A}"`,
    ]);
  });
});
