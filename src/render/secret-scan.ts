// Rendered values are committed, posted in PR comments and passed to helm in logs, so a secret
// value in them is a leak. hubfleet itself only ever renders references (secretKeyRef, a Secret
// name); the validator refuses a hub or platform file carrying a literal secret, and this scan
// refuses one again at render time with the same detector (config/secret-values.ts), so an API
// caller that skips validation still writes nothing.
import { findSecrets } from '../config/secret-values.js';

/** Dotted paths of literal secret values, e.g. `hub.config.GitHubOAuthenticator.client_secret`. */
export function findSecretValues(value: unknown): string[] {
  return findSecrets(value).map((f) => f.path.join('.'));
}
