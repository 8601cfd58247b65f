// hub-pr's audit job: SARIF to code scanning (same-repository PRs), then a failing step on errors.
import { describe, expect, it } from '@jest/globals';
import { hubPr, SAME_REPOSITORY } from '../../workflows/hub-pr.js';

describe('hub-pr audit job', () => {
  it('uploads the audit SARIF with security-events: write on that job only, then fails on errors', () => {
    const job = hubPr.jobs.audit;
    expect(job?.if).toBe(SAME_REPOSITORY);
    expect(job?.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(job?.steps.slice(-3)).toEqual([
      {
        name: 'Audit the fleet (SARIF)',
        run: 'node bin/hubfleet.js audit --format sarif --fail-on none > hubfleet-audit.sarif',
      },
      {
        name: 'Upload the findings to code scanning',
        uses: 'github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
        with: { sarif_file: 'hubfleet-audit.sarif', category: 'hubfleet-audit' },
      },
      { name: 'Fail on error findings', run: 'node bin/hubfleet.js audit' },
    ]);
    const others = Object.entries(hubPr.jobs).filter(([id]) => id !== 'audit');
    expect(others.filter(([, j]) => j.permissions['security-events'] !== undefined)).toEqual([]);
  });
});
