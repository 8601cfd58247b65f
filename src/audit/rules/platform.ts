// Platform files (decision 0018) hold the privileged chart values a hub file may not set. They
// are allowed, reviewed by the platform team (CODEOWNERS), and worth a second look: each key the
// hub-file trust model would refuse is listed as a note, on its line, with the trust model's reason.
import type { YamlSource } from '../../config/config-source.js';
import { trustRules } from '../../config/trust-rules.js';
import type { AuditRule, RuleFinding } from '../finding.js';

export const platformPrivilegedValue: AuditRule = {
  id: 'HF010',
  name: 'platform-privileged-value',
  severity: 'note',
  securitySeverity: 4.0,
  summary: 'A platform file sets a privileged chart value (code, sign-in, pod security, networking …).',
  description:
    "A platform file is the one place a privileged value may be set, for one hub, under the platform team's review. Each such value runs code in the hub, widens what user pods may do or changes how the hub is reached; the audit lists them so they are re-reviewed, not forgotten.",
  fix: 'Keep it if it is still needed (the note is for review); otherwise remove it from the platform file.',
  check: (ctx) =>
    ctx.hubs.flatMap((hub): RuleFinding[] => {
      const platform = hub.platform;
      if (platform === undefined) return [];
      // The platform file's values read through the hub-file rules, with the hub's name and chart.
      const asHubFile: YamlSource = {
        file: platform.file,
        data: { ...platform.data, name: hub.hub.config.name, chart: hub.hub.config.chart },
        locate: (path, target) => platform.locate(path, target),
      };
      return trustRules(asHubFile, hub.cluster.config.provider, new Set()).map((p) => ({
        file: p.file,
        line: p.line,
        col: p.col,
        field: p.field,
        message: `${p.message.replace(/, so a hub file may not set it.*$/, '').replace(/\.$/, '')}; set in the platform file, where the platform team reviews it: check that it is still needed`,
      }));
    }),
};
