// Who is about to apply: apply-iam compares the cloud identity the job authenticated as with the
// one cluster.yaml names, before it reads the plan or runs Terraform. Pure comparisons; the
// adapters (src/adapters/aws.ts, gcp.ts) gather what they compare.

export interface AwsCallerIdentity {
  account: string;
  arn: string;
  userId?: string;
}

export interface IdentityCheck {
  /** Refusals: apply must not go on. */
  problems: string[];
  /** Worth a warning, not a refusal. */
  warnings: string[];
}

/** The role name of `arn:aws:iam::<acct>:role/<path/>name` or `arn:aws:sts::<acct>:assumed-role/name/session`. */
export function awsRoleName(arn: string): string | undefined {
  const assumed = /^arn:[^:]+:sts::\d{12}:assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (assumed) return assumed[1];
  const role = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return role?.[1];
}

export function checkAwsIdentity(
  expected: { account: string; roleArn: string },
  caller: AwsCallerIdentity,
): IdentityCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (caller.account !== expected.account) {
    problems.push(
      `the AWS credentials belong to account ${caller.account} (${caller.arn}), but cluster.yaml names aws.account ${expected.account}`,
    );
  }
  const want = awsRoleName(expected.roleArn);
  const got = awsRoleName(caller.arn);
  if (problems.length === 0 && want !== undefined && got !== want) {
    warnings.push(
      `the caller is ${caller.arn}, not the role ${expected.roleArn} that cluster.yaml names (aws.roleArn)`,
    );
  }
  return { problems, warnings };
}

/** What the GCP auth step left behind, as apply-iam found it. */
export interface GcpAuthContext {
  /** The `gcp-project` input (the auth step's project_id output). */
  project?: string;
  /** The `gcp-service-account` input (the service_account given to the auth step). */
  serviceAccount?: string;
  /** Project variables set in the environment (GOOGLE_CLOUD_PROJECT, CLOUDSDK_PROJECT, …). */
  envProjects: Array<{ name: string; value: string }>;
  /** GOOGLE_APPLICATION_CREDENTIALS, when set. */
  credentials?: {
    path: string;
    /** From `service_account_impersonation_url` (Workload Identity Federation). */
    impersonatedServiceAccount?: string;
    /** From `client_email` (a service-account key file). */
    clientEmail?: string;
    /** Why the file could not be read, when it could not. */
    unreadable?: string;
  };
}

/**
 * The project and service account the job acts as must be cluster.yaml's. They are taken from the
 * inputs (the auth step's project and service account) and cross-checked against what is actually
 * in effect: the project variables and the credentials file. Without inputs, what is in effect is
 * used; with neither, the identity is unknown and refused.
 */
export function checkGcpIdentity(
  expected: { project: string; serviceAccount: string },
  found: GcpAuthContext,
): IdentityCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const creds = found.credentials;
  const project = found.project ?? found.envProjects[0]?.value;
  const serviceAccount = found.serviceAccount ?? creds?.impersonatedServiceAccount ?? creds?.clientEmail;
  if (project === undefined) {
    problems.push(
      'the GCP project is unknown: pass input "gcp-project" (the google-github-actions/auth step\'s project_id output)',
    );
  } else if (found.project !== undefined && found.project !== expected.project) {
    problems.push(
      `the job authenticated for project ${found.project}, but cluster.yaml names gcp.project ${expected.project}`,
    );
  }
  if (serviceAccount === undefined) {
    problems.push(
      'the GCP service account is unknown: pass input "gcp-service-account" (the service_account given to the google-github-actions/auth step)',
    );
  } else if (found.serviceAccount !== undefined && found.serviceAccount !== expected.serviceAccount) {
    problems.push(
      `the job authenticated as ${found.serviceAccount}, but cluster.yaml names gcp.deployerServiceAccount ${expected.serviceAccount}`,
    );
  }
  for (const { name, value } of found.envProjects) {
    if (value !== expected.project) {
      problems.push(`${name} is ${value}, but cluster.yaml names gcp.project ${expected.project}`);
    }
  }
  if (creds !== undefined) {
    if (creds.unreadable !== undefined) {
      problems.push(`GOOGLE_APPLICATION_CREDENTIALS (${creds.path}) cannot be read: ${creds.unreadable}`);
    }
    const inFile = creds.impersonatedServiceAccount ?? creds.clientEmail;
    if (inFile !== undefined && inFile !== expected.serviceAccount) {
      problems.push(
        `the credentials file ${creds.path} acts as ${inFile}, but cluster.yaml names gcp.deployerServiceAccount ${expected.serviceAccount}`,
      );
    }
    if (creds.clientEmail !== undefined) {
      warnings.push(
        'the credentials are a service-account key; hubfleet expects Workload Identity Federation (no long-lived keys)',
      );
    }
  }
  return { problems, warnings };
}

/** Who the job acts as on GCP, for the log and the `identity` output. */
export function gcpIdentityText(found: GcpAuthContext): string {
  const project = found.project ?? found.envProjects[0]?.value ?? '(unknown project)';
  const account =
    found.serviceAccount ??
    found.credentials?.impersonatedServiceAccount ??
    found.credentials?.clientEmail ??
    '(unknown service account)';
  return `${account} (${project})`;
}

export const IDENTITY_HINT =
  "authenticate the job as the deployer that cluster.yaml names (the auth step's workload_identity_provider/service_account, or role-to-assume), or fix cluster.yaml; nothing was applied";
