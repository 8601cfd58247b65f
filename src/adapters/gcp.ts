// What google-github-actions/auth left in the job's environment: the project variables it exports
// and the credentials file GOOGLE_APPLICATION_CREDENTIALS names (for Workload Identity Federation,
// an external_account file whose service_account_impersonation_url names the service account).
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../errors.js';
import type { GcpAuthContext } from '../tfplan/identity.js';

/** The variables gcloud and Google's client libraries read the default project from. */
export const GCP_PROJECT_VARIABLES = [
  'GOOGLE_CLOUD_PROJECT',
  'CLOUDSDK_PROJECT',
  'CLOUDSDK_CORE_PROJECT',
  'GCLOUD_PROJECT',
  'GCP_PROJECT',
] as const;

/** `…/serviceAccounts/<email>:generateAccessToken` → email. */
export function impersonatedServiceAccount(url: string): string | undefined {
  const match = /\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

export async function readGcpAuthContext(
  inputs: { project?: string | undefined; serviceAccount?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<GcpAuthContext> {
  const context: GcpAuthContext = { envProjects: [] };
  if (inputs.project !== undefined && inputs.project !== '') context.project = inputs.project;
  if (inputs.serviceAccount !== undefined && inputs.serviceAccount !== '')
    context.serviceAccount = inputs.serviceAccount;
  for (const name of GCP_PROJECT_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') context.envProjects.push({ name, value });
  }
  const path = env['GOOGLE_APPLICATION_CREDENTIALS'];
  if (path !== undefined && path !== '') {
    const credentials: NonNullable<GcpAuthContext['credentials']> = { path };
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      const url = parsed['service_account_impersonation_url'];
      if (typeof url === 'string') {
        const email = impersonatedServiceAccount(url);
        if (email !== undefined) credentials.impersonatedServiceAccount = email;
      }
      const clientEmail = parsed['client_email'];
      if (typeof clientEmail === 'string') credentials.clientEmail = clientEmail;
    } catch (error: unknown) {
      // The file holds credentials: say why it failed, never what it holds.
      credentials.unreadable =
        error instanceof SyntaxError ? 'not JSON' : errorMessage(error).replace(/\s*\{.*$/, '');
    }
    context.credentials = credentials;
  }
  return context;
}
