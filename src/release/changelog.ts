// A release's notes are its section of CHANGELOG.md: `## [X.Y.Z] - YYYY-MM-DD` (or `## X.Y.Z`) up to
// the next `## ` heading. `## Unreleased` stays on top and collects what the next release holds;
// cutting a release moves its bullets under the new version's heading (CONTRIBUTING "Cut a release").
import { HubfleetError } from '../errors.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function releaseNotes(changelog: string, version: string): string {
  const heading = new RegExp(`^## \\[?v?${escape(version)}\\]?(\\s|$)`);
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start === -1) {
    throw new HubfleetError(`CHANGELOG.md has no section for ${version}`, {
      hint: `move the "## Unreleased" bullets under a new "## [${version}] - YYYY-MM-DD" heading in the tagged commit`,
    });
  }
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  const body = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim();
  if (body === '') {
    throw new HubfleetError(`CHANGELOG.md's section for ${version} is empty`, {
      hint: 'say what the release changes: its notes are that section',
    });
  }
  return `${body}\n`;
}
