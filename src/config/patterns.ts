// String patterns of the config model, kept apart from the TypeBox model (model.ts) so the rules
// and messages that need them do not load TypeBox at run time; model.ts builds the schemas from them.

/** RFC 1123 label: namespace, helm release and Kubernetes object names are built from it. */
export const DNS_LABEL_PATTERN = '^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$';
/** Lowercase, dotted, no wildcard: what a ManagedCertificate accepts. */
export const DOMAIN_PATTERN = '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$';
/** IPv4 CIDR block (a master authorized network). */
export const CIDR_PATTERN =
  '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$';
/** IPv4 /28 block (a GKE control plane's private range). */
export const CIDR28_PATTERN =
  '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/28$';
/** A VPC Service Controls perimeter's resource name (Access Context Manager). */
export const PERIMETER_NAME_PATTERN = '^accessPolicies/[0-9]+/servicePerimeters/[A-Za-z][A-Za-z0-9_]{0,49}$';
/** Name of a GitHub Actions secret: uppercase letters, digits and underscores. */
export const SECRET_NAME_PATTERN = '^[A-Z][A-Z0-9_]*$';
/** A bucket name as hubfleet creates it (3–42 characters; the prefix makes it globally unique). */
export const BUCKET_NAME_PATTERN = '^[a-z0-9][-a-z0-9]{1,40}[a-z0-9]$';

/** An email address as IAP asserts it: one `@`, a domain as DOMAIN_PATTERN (any case). */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$";

/** A GitHub login: alphanumerics and single hyphens, not at either end, at most 39 characters. */
export const GITHUB_LOGIN_PATTERN = '^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$';

/**
 * A registry host with a dot (how docker tells a registry from a Docker Hub namespace), optional
 * port, then repository path components as the OCI distribution spec's reference grammar has them
 * (distribution/reference regexp.go: pathComponent); no tag, no digest, no trailing slash.
 */
export const IMAGE_MIRROR_PATTERN =
  '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)+(:[0-9]{1,5})?(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$';
