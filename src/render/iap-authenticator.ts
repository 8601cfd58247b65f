// The hub side of IAP on GKE: z2jh's default authenticator lets anyone who passes IAP log in as any
// username, so GCP hubs get an authenticator that takes the user from IAP's signed header. Its
// Python source (iap_authenticator.py) reaches the hub through hub.extraConfig; the trait values
// that pin it to the cluster's project go through hub.config.
import { IAP_AUTHENTICATOR_CLASS_PATH } from '../config/owned-values.js';
import { IAP_AUTHENTICATOR_SOURCE } from './iap-authenticator-source.js';

/** The class in iap_authenticator.py; the file registers module `hubfleet_iap` so hub.config can name it. */
export const IAP_AUTHENTICATOR_CLASS = 'HubfleetIAPAuthenticator';
export const IAP_AUTHENTICATOR_IMPORT_PATH = IAP_AUTHENTICATOR_CLASS_PATH;
/** hub.extraConfig key; z2jh runs the snippets in key order, and this one only defines a class. */
export const IAP_EXTRA_CONFIG_KEY = 'hubfleet-iap-authenticator';
/** Where Google publishes the JWK set IAP signs its assertions with. */
export const IAP_KEYS_URL = 'https://www.gstatic.com/iap/verify/public_key-jwk';

export { IAP_AUTHENTICATOR_SOURCE };

export interface IapHubValues {
  config: Record<string, Record<string, string | string[]>>;
  extraConfig: Record<string, string>;
}

/** Who is a hub admin and which email domains get in (the hub file's iap.admins / iap.allowedDomains). */
export interface IapSignIn {
  admins?: readonly string[];
  allowedDomains?: readonly string[];
}

/**
 * The hub pod annotation (z2jh `hub.annotations`, on the hub Deployment's pod template) that says
 * which IAP audience the hub's values pin: the audience itself, or IAP_PROJECT_WIDE. It is rendered
 * from the same values as the authenticator's `audience`, so whatever sets those (deploy-hub, a helm
 * rollback, a re-pin) sets it too, and the scheduled smoke check can read it with the planner's
 * read access (the values themselves sit in the `hub` Secret, which the planner cannot read).
 */
export const IAP_AUDIENCE_ANNOTATION = 'hubfleet.io/iap-audience';
/** The annotation's value for a hub that pins only the project number. */
export const IAP_PROJECT_WIDE = 'project-wide';

/** IAP's audience for one backend service: `/projects/<number>/global/backendServices/<id>`. */
export function iapBackendAudience(projectNumber: string, backendServiceId: string): string {
  return `/projects/${projectNumber}/global/backendServices/${backendServiceId}`;
}

/**
 * The `hub.config` and `hub.extraConfig` entries of a GKE hub. The backend service ID in IAP's
 * audience is assigned only after the Ingress exists: until deploy-hub has looked it up, the
 * project number is what is pinned (any backend service of the project); once known, `audience`
 * pins this hub's own backend service.
 */
export function iapHubValues(projectNumber: string, audience?: string, signIn: IapSignIn = {}): IapHubValues {
  // Usernames are lowercased emails (iap_authenticator.py username_for); JupyterHub also normalizes
  // admin_users at start-up (app.py init_users), but the rendered values should read as they act.
  const lower = (list: readonly string[]): string[] => [...new Set(list.map((e) => e.toLowerCase()))].sort();
  return {
    config: {
      JupyterHub: { authenticator_class: IAP_AUTHENTICATOR_IMPORT_PATH },
      [IAP_AUTHENTICATOR_CLASS]: {
        project_number: projectNumber,
        ...(audience === undefined ? {} : { audience }),
        keys_url: IAP_KEYS_URL,
        ...(signIn.admins === undefined || signIn.admins.length === 0
          ? {}
          : { admin_users: lower(signIn.admins) }),
        ...(signIn.allowedDomains === undefined ? {} : { allowed_domains: lower(signIn.allowedDomains) }),
      },
    },
    extraConfig: { [IAP_EXTRA_CONFIG_KEY]: IAP_AUTHENTICATOR_SOURCE },
  };
}
