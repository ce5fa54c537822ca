/**
 * The two ECCSI hashes (RFC 6507, SHA-256 for the oneM2M parameter set):
 * HS = hash(G ‖ KPAK ‖ ID ‖ PVT) binds an identity to its KMS and PVT (§5.1.1 step 3, §5.2.2
 * step 3); HE = hash(HS ‖ r ‖ M) is the message digest signed with it (§5.2.1 step 3).
 */
import { createHash } from 'node:crypto'
import { os2ip } from '../bytes.js'
import { G_BYTES } from './params.js'

/** HS as 32 octets. Inputs are the encodings as received: points uncompressed, ID raw octets. */
export function hashIdentity(kpak: Uint8Array, id: Uint8Array, pvt: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(G_BYTES).update(kpak).update(id).update(pvt).digest())
}

/** HE as an integer (the 256-bit digest read big-endian; not reduced, the caller works mod q). */
export function hashMessage(hs: Uint8Array, r: Uint8Array, message: Uint8Array): bigint {
  return os2ip(createHash('sha256').update(hs).update(r).update(message).digest())
}
