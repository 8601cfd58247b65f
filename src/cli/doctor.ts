// `hubfleet doctor`: checks live, with the credentials it runs with, what every run needs, and
// prints a checklist with the fix for each failure. Exit 1 when a check fails (a skipped check is
// not a failure, and not a pass either), 2 on a usage error.
import { type Command, loadFromDir, report, str } from './common.js';
import { findCluster, requireDnsLabel } from './names.js';
import { UsageError } from './usage-error.js';

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const value = (env: NodeJS.ProcessEnv, ...names: string[]): string | undefined =>
  names.map((n) => env[n]).find((v): v is string => v !== undefined && v !== '');

export const doctorCommand: Command = {
  summary: 'check live that the cloud project, DNS and GitHub are ready for a run; print a checklist',
  usage: `hubfleet doctor [--cluster C] [--repository OWNER/NAME] [--format text|json] [--config DIR]

Checks, for every cluster (or only C), with the credentials in the environment:
  apis                 (GKE) the Google APIs a run calls are enabled (Service Usage)
  state-bucket         the Terraform state bucket exists, is versioned and not public
  wif-provider         GKE: the Workload Identity provider is active and its condition admits the
                       repository; EKS: GitHub's OIDC provider exists and aws.roleArn trusts it
  dns-delegation       public DNS delegates the zone to the managed/hosted zone's name servers
  hub-dns              (GKE) each hub domain resolves to its static IP, or the IP is not yet created
  smoke-identity       (GKE) the IAP prober may pass IAP for every hub (roles/iap.httpsResourceAccessor)
  vpc-sc-perimeter     (GKE, vpcServiceControls without manageMembership) the project is a resource
                       of the perimeter (Access Context Manager)
  restricted-apis-dns  (GKE, restrictedGoogleApis) storage.googleapis.com resolves into the
                       restricted VIP 199.36.153.4/30 through this machine's resolver (the runner's)
  github-labels        the PR labels the chain reads exist
  github-environments  <cluster>-apply, -staging, -prod exist, allow only main; prod has reviewers
  github-secrets       the secrets hub files and the IAP checks name exist (names only)
  runners              a self-hosted runner with the cluster's labels is online
Credentials: HUBFLEET_GCP_ACCESS_TOKEN (or GOOGLE_OAUTH_ACCESS_TOKEN; e.g. $(gcloud auth
print-access-token)), AWS credentials as the AWS SDK finds them, and GITHUB_TOKEN (or GH_TOKEN); a
check without them is skipped and says what to set. Endpoints: GITHUB_API_URL, HUBFLEET_DOH_URL
(DNS over HTTPS, JSON; default https://dns.google/resolve), HUBFLEET_DNS_SERVERS (host[:port]
list; default the system resolver),
HUBFLEET_{SERVICEUSAGE,STORAGE,IAM,DNS,COMPUTE,IAP,ACCESSCONTEXTMANAGER}_API_URL,
AWS_ENDPOINT_URL_{S3,IAM,ROUTE_53}.
The repository is --repository or GITHUB_REPOSITORY. Exit 1 when any check fails.`,
  options: {
    config: { type: 'string', default: 'config' },
    cluster: { type: 'string' },
    repository: { type: 'string' },
    format: { type: 'string', default: 'text' },
  },
  run: async (v, io) => {
    const format = str(v.format);
    if (format !== 'text' && format !== 'json') {
      throw new UsageError(`--format must be text or json, not ${JSON.stringify(format)}`);
    }
    const clusterName = typeof v.cluster === 'string' ? requireDnsLabel('cluster', v.cluster) : undefined;
    const repository = typeof v.repository === 'string' ? v.repository : value(io.env, 'GITHUB_REPOSITORY');
    if (repository !== undefined && !REPOSITORY.test(repository)) {
      throw new UsageError(`--repository must be OWNER/NAME, not ${JSON.stringify(repository)}`);
    }
    const result = await loadFromDir(str(v.config), io);
    if (!report(result, io)) return 1;
    const fleet =
      clusterName === undefined ? result.fleet : { clusters: [findCluster(result.fleet, clusterName)] };

    const [{ runDoctor }, { formatChecklist, formatJson, summarize }, google, doh, gh, aws, dns] =
      await Promise.all([
        import('../doctor/run.js'),
        import('../doctor/format.js'),
        import('../adapters/google-apis.js'),
        import('../adapters/doh.js'),
        import('../adapters/github-settings.js'),
        import('../adapters/aws-setup.js'),
        import('../adapters/dns.js'),
      ]);
    const dnsServers = value(io.env, 'HUBFLEET_DNS_SERVERS');
    const googleToken = value(io.env, 'HUBFLEET_GCP_ACCESS_TOKEN', 'GOOGLE_OAUTH_ACCESS_TOKEN');
    const githubToken = value(io.env, 'GITHUB_TOKEN', 'GH_TOKEN');
    const apiUrl = value(io.env, 'GITHUB_API_URL');
    const results = await runDoctor({
      fleet,
      repository,
      repositoryId: value(io.env, 'GITHUB_REPOSITORY_ID'),
      google:
        googleToken === undefined
          ? undefined
          : google.createGoogleApis({ token: googleToken, urls: google.googleApiUrls(io.env) }),
      github:
        githubToken === undefined || repository === undefined
          ? undefined
          : gh.createGitHubSettings({
              token: githubToken,
              repository,
              ...(apiUrl === undefined ? {} : { apiUrl }),
            }),
      doh: doh.createDohResolver({ url: value(io.env, 'HUBFLEET_DOH_URL') ?? doh.DEFAULT_DOH_URL }),
      aws: (region) => aws.createAwsSetup({ region, env: io.env }),
      // The runner's own resolver: the private zone restricted-apis.tf binds to the VPC answers there.
      dns: dns.createDnsAdapter(dnsServers === undefined ? {} : { servers: dns.parseDnsServers(dnsServers) }),
    });
    io.stdout(format === 'json' ? formatJson(repository, results) : formatChecklist(repository, results));
    return summarize(results).failed > 0 ? 1 : 0;
  },
};
