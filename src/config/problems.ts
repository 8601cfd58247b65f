// How config problems are shown: one line for a terminal, one workflow command for GitHub.
import type { ConfigProblem } from './model.js';

/** By file, then line, then column, so output reads top to bottom. */
export function compareProblems(a: ConfigProblem, b: ConfigProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  if (a.field !== b.field) return a.field < b.field ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** `path:line:col: field: message`; warnings read `path:line:col: warning: field: message` (compiler style). */
export function formatProblem(p: ConfigProblem): string {
  const severity = p.severity === 'warning' ? 'warning: ' : '';
  const field = p.field === '' ? '' : `${p.field}: `;
  return `${p.file}:${p.line}:${p.col}: ${severity}${field}${p.message}`;
}

// GitHub's workflow-command escaping (toolkit's command.ts): data escapes % CR LF; property values
// additionally escape ':' and ',', which separate properties.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,col=…,title=…::message`, shown on the PR diff at that line. */
export function annotation(p: ConfigProblem): string {
  const command = p.severity === 'warning' ? 'warning' : 'error';
  const title = p.field === '' ? 'hubfleet config' : `hubfleet config: ${p.field}`;
  const properties = [
    `file=${escapeProperty(p.file)}`,
    `line=${p.line}`,
    `col=${p.col}`,
    `title=${escapeProperty(title)}`,
  ].join(',');
  return `::${command} ${properties}::${escapeData(p.message)}`;
}

/**
 * `::error file=…,title=…::message` for a whole file: one with no line to point at, such as a file
 * the change deleted.
 */
export function fileAnnotation(file: string, title: string, message: string): string {
  return `::error file=${escapeProperty(file)},title=${escapeProperty(title)}::${escapeData(message)}`;
}
