// The image mirroring job of the scheduled workflow (decision 0060): copies every image the
// cluster's hubs pull into its images.mirror, by `hubfleet images --cluster C`. A cluster opts in
// by setting images.mirror: the job's rows are `hubfleet targets`' mirror-clusters. It pushes, so
// it acts as the applier, in the cluster's apply Environment (which allows only main), on the
// cluster's own runner (inside the VPC, where the mirror is reachable).
import type { Step } from './model.js';
import { pinned } from './pinned-actions.js';

/**
 * crane (github.com/google/go-containerregistry): `crane copy SRC DST` copies an image, every
 * platform of an index, "while retaining the digest value" (cmd/crane/doc/crane_copy.md). Installed
 * with `go install module@version`, which checks the module against the Go checksum database
 * (sum.golang.org), so the version pins the exact source.
 */
export const CRANE_MODULE = 'github.com/google/go-containerregistry/cmd/crane';
export const CRANE_VERSION = 'v0.21.9';
/** go-containerregistry v0.21.9's go.mod says `go 1.25.0`. */
export const GO_VERSION = '1.25';

/** The cluster's apply Environment (deploy.ts APPLY_ENVIRONMENT; not imported: deploy.ts imports scheduled.ts). */
export const MIRROR_ENVIRONMENT = '${{ matrix.cluster }}-apply';

export const MIRROR_SCRIPT = [
  'set -euo pipefail',
  'pairs="$RUNNER_TEMP/image-pairs.txt"',
  'node bin/hubfleet.js images --cluster "$CLUSTER" > "$pairs"',
  'if [ ! -s "$pairs" ]; then',
  '  echo "$CLUSTER sets no images.mirror: nothing to copy" >> "$GITHUB_STEP_SUMMARY"',
  '  exit 0',
  'fi',
  'GOBIN="$RUNNER_TEMP/bin" go install "$CRANE_MODULE@$CRANE_VERSION"',
  'crane="$RUNNER_TEMP/bin/crane"',
  // Every pair of one cluster goes to the same mirror registry (its images.mirror).
  'registry=$(head -n 1 "$pairs" | awk \'{print $2}\' | cut -d/ -f1)',
  'if [ "$PROVIDER" = gcp ]; then',
  // Artifact Registry takes an OAuth access token as the password of user oauth2accesstoken.
  '  printf \'%s\' "$GCP_ACCESS_TOKEN" | "$crane" auth login "$registry" -u oauth2accesstoken --password-stdin',
  'else',
  '  aws ecr get-login-password --region "$AWS_REGION" | "$crane" auth login "$registry" -u AWS --password-stdin',
  'fi',
  'echo "### images copied to the mirror of $CLUSTER" >> "$GITHUB_STEP_SUMMARY"',
  'while read -r source mirror; do',
  '  "$crane" copy "$source" "$mirror"',
  '  echo "- \\`$source\\` → \\`$mirror\\`" >> "$GITHUB_STEP_SUMMARY"',
  'done < "$pairs"',
].join('\n');

/** The job's steps after checkout, hubfleet and the applier's cloud login. */
export function mirrorSteps(): Step[] {
  return [
    {
      name: 'Set up Go (to build crane at a pinned version)',
      uses: pinned('setupGo'),
      with: { 'go-version': GO_VERSION, cache: false },
    },
    {
      name: 'Copy every image of the cluster into its mirror',
      env: {
        CLUSTER: '${{ matrix.cluster }}',
        PROVIDER: '${{ matrix.provider }}',
        AWS_REGION: '${{ matrix.awsRegion }}',
        GCP_ACCESS_TOKEN: '${{ steps.gcp-auth.outputs.access_token }}',
        CRANE_MODULE,
        CRANE_VERSION,
      },
      run: MIRROR_SCRIPT,
    },
  ];
}
