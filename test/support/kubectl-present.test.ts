// The one place a missing kubectl fails the suite under CI; elsewhere it is a loud skip.
import { expect, it } from '@jest/globals';
import { KUBECTL, KUBECTL_INSTALL, haveKubectl, kubectlVersion } from './kubectl.js';

it('finds kubectl for the Kubernetes tests (required under CI=true)', () => {
  if (!haveKubectl && process.env.CI !== 'true') {
    process.stderr.write(
      `\n*** kubectl (${KUBECTL}) is missing: the Kubernetes tests did not run. ${KUBECTL_INSTALL} ***\n\n`,
    );
    return;
  }
  if (!haveKubectl)
    throw new Error(
      `kubectl (${KUBECTL}) is missing, so the Kubernetes tests did not run: ${KUBECTL_INSTALL}`,
    );
  expect(kubectlVersion).toMatch(/^v1\.\d+\./);
});
