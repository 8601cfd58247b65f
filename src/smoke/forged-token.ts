// The forged token: a JWT that looks exactly like a real ID token of the authorised identity
// (same audience, subject and email when the real one can be read) but is signed by an ES256 key
// made up for this run and thrown away. If IAP accepts it, IAP is not checking signatures.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface IdTokenClaims {
  iss?: string;
  aud?: string;
  sub?: string;
  email?: string;
  exp?: number;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * The claims of a JWT, read without verifying anything (we only copy them into the forgery and
 * check the expiry); undefined when the text is not a JWT.
 */
export function readUnverifiedClaims(token: string): IdTokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    const p = payload as Record<string, unknown>;
    const claims: IdTokenClaims = {};
    if (typeof p['iss'] === 'string') claims.iss = p['iss'];
    // aud may be a list; IAP expects the one OAuth client id.
    const aud = Array.isArray(p['aud']) ? (p['aud'] as unknown[])[0] : p['aud'];
    if (typeof aud === 'string') claims.aud = aud;
    if (typeof p['sub'] === 'string') claims.sub = p['sub'];
    if (typeof p['email'] === 'string') claims.email = p['email'];
    if (typeof p['exp'] === 'number') claims.exp = p['exp'];
    return claims;
  } catch {
    return undefined;
  }
}

export interface ForgeOptions {
  /** Claims to imitate (from the real ID token). */
  like?: IdTokenClaims | undefined;
  nowSeconds: number;
}

/** A well-formed ES256 JWT signed by a fresh key that exists only inside this call. */
export function forgeIdToken(options: ForgeOptions): string {
  const { like, nowSeconds } = options;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = { alg: 'ES256', typ: 'JWT', kid: randomBytes(20).toString('hex') };
  const payload = {
    iss: like?.iss ?? 'https://accounts.google.com',
    aud: like?.aud ?? 'hubfleet-smoke-iap',
    sub: like?.sub ?? randomBytes(10).toString('hex'),
    ...(like?.email === undefined ? {} : { email: like.email, email_verified: true }),
    iat: nowSeconds,
    exp: nowSeconds + 300,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  // JWS wants the raw r||s signature (RFC 7518 §3.4), not DER.
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${base64url(signature)}`;
}
