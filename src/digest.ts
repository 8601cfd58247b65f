// One sha256 for the places that bind bytes to a reviewed hash (the plan file, the inputs digest):
// both must agree on the encoding, so there is one definition.
import { createRequire } from 'node:module';

// node:crypto (and the stream modules it pulls in, ~7 ms of a cold start) is loaded on the first
// hash, not with this module, which most commands import for names they may not need to hash.
const requireBuiltin = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;

/** The sha256 of `bytes` (a string is hashed as UTF-8), as 64 lowercase hex digits. */
export function sha256Hex(bytes: Uint8Array | string): string {
  crypto ??= requireBuiltin('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
