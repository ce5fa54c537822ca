/**
 * GBA Bootstrapping Transaction Identifier (3GPP TS 33.220 §4.5.2): `base64(RAND) "@" BSF
 * server domain name`. In the GBA RSPF (TS-0003 §8.3.2.3) it doubles as KeID, KmID or KpsaID
 * and is kept verbatim as psk_identity (OQ-34); only inside a Credential-ID is its base64 part
 * rewritten to base64url (see `bTidCredentialValue`).
 */
import { toBase64Url } from '../bytes.js'
import { fqdnProblem } from './fqdn.js'
import type { Fqdn } from './fqdn.js'
import { invalidId } from './id-error.js'

export type BTid = string & { readonly __brand: 'BTid' }

/** RAND of TS 33.102 AKA is 128 bits, so its base64 form is always 24 characters ending "==". */
export const B_TID_RAND_LENGTH = 16
const RAND_BASE64_RE = /^[A-Za-z0-9+/]{22}==$/

/** Why `rel` is not the base64(RAND) part of a B-TID, or undefined when it is one. */
export function bTidRandProblem(rel: string): string | undefined {
  if (!RAND_BASE64_RE.test(rel)) return 'RAND part is not 24 base64 characters ending in "=="'
  // A non-canonical encoding (stray bits in the last character) would name the same RAND with
  // a second string; psk_identity look-ups are exact, so only the canonical text is accepted.
  if (Buffer.from(rel, 'base64').toString('base64') !== rel) return 'RAND part is not canonical base64'
  return undefined
}

/**
 * Parses a B-TID. The base64 part keeps its case (it is data); the BSF domain is lower-cased (OQ-2).
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseBTid(text: string): BTid {
  const at = text.indexOf('@')
  if (at < 0) throw invalidId('B-TID', 'has no "@"', text)
  if (text.indexOf('@', at + 1) >= 0) throw invalidId('B-TID', 'has more than one "@"', text)
  const rel = text.slice(0, at)
  const domain = text.slice(at + 1)
  const randProblem = bTidRandProblem(rel)
  if (randProblem !== undefined) throw invalidId('B-TID', randProblem, text)
  const domainProblem = fqdnProblem(domain)
  if (domainProblem !== undefined) throw invalidId('B-TID BSF domain', domainProblem, text)
  return `${rel}@${domain.toLowerCase()}` as BTid
}

/**
 * Forms the B-TID for a 16-byte RAND issued by the BSF `bsfDomain`.
 * @throws M2MSEC_ID_INVALID when RAND is not 16 bytes or the domain is not an FQDN.
 */
export function formatBTid(rand: Uint8Array, bsfDomain: string): BTid {
  if (rand.length !== B_TID_RAND_LENGTH) {
    throw invalidId('B-TID', `RAND must be ${B_TID_RAND_LENGTH} bytes`, rand)
  }
  return parseBTid(`${Buffer.from(rand).toString('base64')}@${bsfDomain}`)
}

/** The 16-byte RAND inside a parsed B-TID. */
export function bTidRand(bTid: BTid): Uint8Array {
  return new Uint8Array(Buffer.from(bTid.slice(0, bTid.indexOf('@')), 'base64'))
}

/** The BSF domain of a parsed B-TID. */
export function bTidDomain(bTid: BTid): Fqdn {
  return bTid.slice(bTid.indexOf('@') + 1) as Fqdn
}

/**
 * The form a B-TID takes inside a Credential-ID value (OQ-34): the RAND part as base64url
 * without padding (`+`→`-`, `/`→`_`, `=` dropped), then `@` and the BSF domain. The result uses
 * only Credential-ID value characters (TS-0003 §10.4).
 */
export function bTidCredentialValue(bTid: BTid): string {
  return `${toBase64Url(bTidRand(bTid))}@${bTidDomain(bTid)}`
}
