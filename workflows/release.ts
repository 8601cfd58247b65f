// release: this repository's own release (docs/decisions/0050). A `vX.Y.Z` tag (or a dispatch naming
// one) is built and tested exactly as CI does (.ci/run: dist fresh, actionlint, every test), its
// notes are the CHANGELOG section of that version, and the package carries release.json (the
// repository, version and tag commit) so `npx hubfleet@X.Y.Z init` pins a fleet's workflows to the
// commit it was built from. The publish job runs in the `release` Environment (required reviewers
// and a tag rule are set there) and publishes to npm by trusted publishing: npm exchanges the job's
// OIDC token for a short-lived publish token (docs.npmjs.com/trusted-publishers), so no npm token
// is stored, and the package gets a provenance attestation.
import type { Workflow } from './model.js';
import { pinned } from './pinned-actions.js';
import { checkout, GITHUB_HOSTED, NODE_VERSION, uploadArtifact } from './steps.js';

/** The tag of this run: the pushed tag, or the dispatch's input. */
const TAG = "${{ github.event_name == 'push' && github.ref_name || inputs.tag }}";
const RELEASE_DIR = '${{ runner.temp }}/release';

export const release: Workflow = {
  file: 'release',
  source: 'release.ts',
  name: 'release',
  'run-name': `release ${TAG}`,
  on: {
    push: { tags: ['v*.*.*'] },
    workflow_dispatch: {
      inputs: {
        tag: {
          description: 'An existing release tag (vX.Y.Z) to build and publish again (after a failed publish)',
          required: true,
          type: 'string',
        },
      },
    },
  },
  permissions: {},
  // One run per tag; a second run of the same tag waits rather than racing the first publish.
  concurrency: { group: `release-${TAG}`, 'cancel-in-progress': false },
  jobs: {
    build: {
      name: 'build, test and pack',
      'runs-on': GITHUB_HOSTED,
      permissions: { contents: 'read' },
      'timeout-minutes': 60,
      outputs: {
        tag: '${{ steps.version.outputs.tag }}',
        version: '${{ steps.version.outputs.version }}',
      },
      steps: [
        checkout({ fetchDepth: 0, ref: TAG }),
        {
          name: 'Set up Node',
          uses: pinned('setupNode'),
          // No cache: what is published is built from a clean install.
          with: { 'node-version': NODE_VERSION, 'package-manager-cache': false },
        },
        {
          id: 'version',
          name: "The tag is package.json's version, on this commit",
          env: { TAG },
          run: [
            'set -euo pipefail',
            '[[ "$TAG" =~ ^v[0-9]+\\.[0-9]+\\.[0-9]+$ ]] || { echo "::error::$TAG is not a release tag vX.Y.Z"; exit 1; }',
            'version=$(jq -r .version package.json)',
            'if [ "v$version" != "$TAG" ]; then',
            '  echo "::error::the tag is $TAG but package.json says $version: set the version in the tagged commit"',
            '  exit 1',
            'fi',
            'if [ "$(git rev-parse "$TAG^{commit}")" != "$(git rev-parse HEAD)" ]; then',
            '  echo "::error::$TAG does not point at the checked-out commit"',
            '  exit 1',
            'fi',
            '{',
            '  echo "tag=$TAG"',
            '  echo "version=$version"',
            '} >> "$GITHUB_OUTPUT"',
          ].join('\n'),
        },
        // npm ci, typecheck, lint, bundles equal to the committed dist, actionlint, every test.
        { name: 'CI (.ci/run)', run: 'bash .ci/run' },
        {
          name: 'Release notes, release.json and the package',
          env: {
            REPOSITORY: '${{ github.repository }}',
            VERSION: '${{ steps.version.outputs.version }}',
          },
          run: [
            'set -euo pipefail',
            'dir="$RUNNER_TEMP/release"',
            'mkdir -p "$dir"',
            'node lib/src/release/publish-files.js notes "$VERSION" > "$dir/notes.md"',
            'node lib/src/release/publish-files.js release-json "$REPOSITORY" "$VERSION" "$(git rev-parse HEAD)"',
            'npm pack --pack-destination "$dir"',
            'test -f "$dir/hubfleet-$VERSION.tgz"',
          ].join('\n'),
        },
        uploadArtifact('release', `${RELEASE_DIR}/`, 30),
      ],
    },
    publish: {
      name: 'GitHub release and npm',
      needs: ['build'],
      'runs-on': GITHUB_HOSTED,
      // Its reviewers approve the publish; npm's trusted publisher names this workflow and Environment.
      environment: 'release',
      // contents: write creates the GitHub release; id-token: write is npm's trusted publishing;
      // actions: read downloads the build's artifact through the REST API.
      permissions: { contents: 'write', 'id-token': 'write', actions: 'read' },
      'timeout-minutes': 15,
      steps: [
        {
          name: 'Download the package',
          uses: pinned('downloadArtifact'),
          // Through the REST API, so a re-run of this job alone finds the build's package (decision 0031).
          with: {
            name: 'release',
            path: RELEASE_DIR,
            'run-id': '${{ github.run_id }}',
            'github-token': '${{ github.token }}',
          },
        },
        {
          name: 'Set up Node',
          uses: pinned('setupNode'),
          with: {
            'node-version': NODE_VERSION,
            'package-manager-cache': false,
            'registry-url': 'https://registry.npmjs.org',
          },
        },
        {
          name: 'GitHub release',
          env: {
            GH_TOKEN: '${{ github.token }}',
            REPO: '${{ github.repository }}',
            TAG: '${{ needs.build.outputs.tag }}',
            VERSION: '${{ needs.build.outputs.version }}',
          },
          run: [
            'set -euo pipefail',
            'dir="$RUNNER_TEMP/release"',
            '# A dispatch after a failed publish finds the release made already.',
            'if gh release view "$TAG" --repo "$REPO" >/dev/null 2>&1; then',
            '  echo "release $TAG exists already"',
            'else',
            '  gh release create "$TAG" --repo "$REPO" --verify-tag --title "$TAG" --notes-file "$dir/notes.md" "$dir/hubfleet-$VERSION.tgz"',
            'fi',
          ].join('\n'),
        },
        {
          name: 'Publish to npm (trusted publishing)',
          env: { VERSION: '${{ needs.build.outputs.version }}' },
          run: [
            'set -euo pipefail',
            '# Trusted publishing needs npm 11.5.1 or newer.',
            'npm_version=$(npm --version)',
            'if [ "$(printf \'%s\\n\' 11.5.1 "$npm_version" | sort -V | head -1)" != 11.5.1 ]; then',
            '  echo "::error::npm $npm_version cannot publish by trusted publishing (11.5.1 or newer needed)"',
            '  exit 1',
            'fi',
            'if [ "$(npm view "hubfleet@$VERSION" version 2>/dev/null || true)" = "$VERSION" ]; then',
            '  echo "hubfleet@$VERSION is on npm already"',
            '  exit 0',
            'fi',
            'npm publish "$RUNNER_TEMP/release/hubfleet-$VERSION.tgz" --provenance --access public',
          ].join('\n'),
        },
      ],
    },
  },
};
