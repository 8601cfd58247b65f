// Every audit rule, in id order: the audit runs them, the SARIF lists them, the README's rule
// table (npm run docs) is generated from them.
import type { AuditRule } from './finding.js';
import { openAuthorizedNetworks, publicControlPlane } from './rules/cluster.js';
import { publicBucket, scratchWithoutExpiry } from './rules/buckets.js';
import {
  entryPointBesideIngress,
  projectWideAudience,
  proxyNetworkPolicyOpen,
  proxyServiceExposed,
} from './rules/iap.js';
import { platformPrivilegedValue } from './rules/platform.js';
import { runnerCloudIdentity } from './rules/runners.js';
import { restrictedWithoutMirror } from './rules/restricted-images.js';
import { cloudMetadataReachable, podSecurityPrivileged, resourceCeiling } from './rules/user-pods.js';
import { awsAccessKeys, credentialsJson, unpinnedAction } from './rules/workflows.js';

export const AUDIT_RULES: readonly AuditRule[] = [
  proxyServiceExposed,
  entryPointBesideIngress,
  proxyNetworkPolicyOpen,
  projectWideAudience,
  publicControlPlane,
  openAuthorizedNetworks,
  cloudMetadataReachable,
  podSecurityPrivileged,
  resourceCeiling,
  platformPrivilegedValue,
  publicBucket,
  scratchWithoutExpiry,
  credentialsJson,
  awsAccessKeys,
  unpinnedAction,
  runnerCloudIdentity,
  restrictedWithoutMirror,
];
