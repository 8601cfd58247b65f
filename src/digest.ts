// One sha256 for the places that bind bytes to a reviewed hash (the plan file, the inputs digest):
// both must agree on the encoding, so there is one definition.
import { createHash } from 'node:crypto';

/** The sha256 of `bytes` (a string is hashed as UTF-8), as 64 lowercase hex digits. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
