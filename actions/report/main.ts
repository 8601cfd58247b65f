import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { HubfleetError } from '../../src/errors.js';
import { details, table, verdictLine, writeSummary, type Verdict } from '../../src/action/summary.js';
import { createGitHubClient, type GitHubClient } from '../../src/adapters/github.js';
import { upsertIssue } from '../../src/report/issue-upsert.js';
import { upsertStickyComment, type StickyResult } from '../../src/report/sticky-comment.js';
import { readReportInputs, type BodySource, type ReportOutputs, type ReportRequest } from './inputs.js';

// A step summary may hold 1 MiB; keep the report well inside it, the rest is in the comment/issue.
const SUMMARY_BODY_LIMIT = 512 * 1024;

export async function main(): Promise<ReportOutputs> {
  const request = readReportInputs(context.payload);
  const repository = process.env['GITHUB_REPOSITORY'] ?? '';
  const gh = createGitHubClient({ token: request.token, repository, log: (message) => core.info(message) });
  const body = await readBody(request.body);
  const posted = await post(gh, request, body);
  await writeSummary([
    verdictLine(posted.verdict, posted.headline),
    table(posted.columns, [posted.row]),
    details(
      'Report body',
      body.length > SUMMARY_BODY_LIMIT ? `${body.slice(0, SUMMARY_BODY_LIMIT)}\n\n…(cut)` : body,
    ),
  ]);
  core.info(posted.headline);
  return posted.outputs;
}

interface Posted {
  verdict: Verdict;
  headline: string;
  columns: string[];
  row: (string | number)[];
  outputs: ReportOutputs;
}

async function post(gh: GitHubClient, request: ReportRequest, body: string): Promise<Posted> {
  if (request.mode === 'comment') {
    const { key, prNumber } = request;
    const result = await core.group(`Sticky comment ${key} on #${prNumber}`, () =>
      upsertStickyComment(gh, { issueNumber: prNumber, key, body }),
    );
    const action = commentAction(result);
    const parts = result.commentIds.length;
    return {
      verdict: 'pass',
      headline: `sticky comment ${key} ${action} on #${prNumber} (${parts} part${parts === 1 ? '' : 's'})`,
      columns: ['key', 'pull request', 'parts', 'created', 'updated', 'deleted', 'comment ids'],
      row: [
        key,
        `#${prNumber}`,
        parts,
        result.created,
        result.updated,
        result.deleted,
        result.commentIds.join(', '),
      ],
      outputs: { action, 'comment-ids': result.commentIds },
    };
  }
  const { key, label, extraLabels, outcome } = request;
  const result = await core.group(`Issue ${key} (${outcome.status})`, () =>
    upsertIssue(gh, {
      key,
      label,
      extraLabels,
      outcome: outcome.status === 'failing' ? { ...outcome, body } : { status: 'passing', body },
    }),
  );
  const issue = result.issueNumber === undefined ? 'no issue' : `issue #${result.issueNumber}`;
  return {
    verdict: outcome.status === 'failing' ? 'fail' : 'pass',
    headline: `${key} is ${outcome.status}: ${issue} ${result.action === 'none' ? 'left as it was' : result.action}`,
    columns: ['key', 'status', 'issue', 'action', 'labels'],
    row: [
      key,
      outcome.status,
      result.issueNumber === undefined ? '' : `#${result.issueNumber}`,
      result.action,
      [label, ...extraLabels].join(', '),
    ],
    outputs: { action: result.action, 'issue-number': result.issueNumber },
  };
}

/** created: every part is new; unchanged: nothing was sent; updated: anything in between. */
export function commentAction(result: StickyResult): 'created' | 'updated' | 'unchanged' {
  if (result.commentIds.length > 0 && result.created === result.commentIds.length) return 'created';
  return result.created + result.updated + result.deleted === 0 ? 'unchanged' : 'updated';
}

async function readBody(source: BodySource): Promise<string> {
  let text: string;
  if (source.kind === 'text') text = source.text;
  else {
    // On a runner the step starts in the workspace; relative paths mean the same here.
    const path = isAbsolute(source.path)
      ? source.path
      : resolve(process.env['GITHUB_WORKSPACE'] ?? '.', source.path);
    try {
      text = await readFile(path, 'utf8');
    } catch (error: unknown) {
      throw new HubfleetError(`cannot read body-file ${source.path}`, {
        hint: 'write the report file in an earlier step of the same job and pass its path relative to the workspace',
        cause: error,
      });
    }
  }
  if (text.trim() === '') {
    throw new HubfleetError('the report body is empty', {
      hint: 'check the step that produces the report; GitHub does not accept empty comments or issues',
    });
  }
  return text;
}
