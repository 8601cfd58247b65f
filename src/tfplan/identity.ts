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

export function checkGcpIdentity(
  expected: { project: string; serviceAccount: string },
  found: GcpAuthContext,
): IdentityCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (found.project === undefined) {
    problems.push(
      'input "gcp-project" is empty: pass the project of the google-github-actions/auth step (steps.<auth>.outputs.project_id)',
    );
  } else if (found.project !== expected.project) {
    problems.push(
      `the job authenticated for project ${found.project}, but cluster.yaml names gcp.project ${expected.project}`,
    );
  }
  if (found.serviceAccount === undefined) {
    problems.push(
      'input "gcp-service-account" is empty: pass the service_account given to the google-github-actions/auth step',
    );
  } else if (found.serviceAccount !== expected.serviceAccount) {
    problems.push(
      `the job authenticated as ${found.serviceAccount}, but cluster.yaml names gcp.deployerServiceAccount ${expected.serviceAccount}`,
    );
  }
  for (const { name, value } of found.envProjects) {
    if (value !== expected.project) {
      problems.push(`${name} is ${value}, but cluster.yaml names gcp.project ${expected.project}`);
    }
  }
  const creds = found.credentials;
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

export const IDENTITY_HINT =
  "authenticate the job as the deployer that cluster.yaml names (the auth step's workload_identity_provider/service_account, or role-to-assume), or fix cluster.yaml; nothing was applied";
