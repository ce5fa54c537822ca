/**
 * Public key identifiers for raw public keys (TS-0003 §10.1.2): RFC 6920 §3 "ni" names over the
 * DER SubjectPublicKeyInfo, with one of the three suites TS-0003 allows (sha-256, sha-256-128,
 * sha-256-120), written `ni:///<alg>;<base64url digest, no padding>`. Matching recomputes the
 * digest with the algorithm the trusted name carries and compares (crypto.md §5).
 */
import { createHash } from 'node:crypto'
import { toBase64Url } from '../bytes.js'
import { invalidId } from './id-error.js'

export type NiName = string & { readonly __brand: 'NiName' }

/** Digest length in bytes per algorithm name (RFC 6920 §9.4 registry, suites 1–3). */
export const NI_HASH_ALGS = {
  'sha-256': 32,
  'sha-256-128': 16,
  'sha-256-120': 15,
} as const
export type NiHashAlg = keyof typeof NI_HASH_ALGS

const NI_RE = /^ni:\/\/\/([a-z0-9-]+);([A-Za-z0-9_-]+)$/

/** Full SHA-256 of the DER SubjectPublicKeyInfo (the basis of every ni name and of type-30 Credential-IDs). */
export function spkiSha256(spkiDer: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(spkiDer).digest())
}

/** The RFC 6920 name of a raw public key (`spkiDer` = DER SubjectPublicKeyInfo, as in RFC 7250). */
export function niName(spkiDer: Uint8Array, alg: NiHashAlg = 'sha-256'): NiName {
  const digest = spkiSha256(spkiDer).subarray(0, NI_HASH_ALGS[alg])
  return `ni:///${alg};${toBase64Url(digest)}` as NiName
}

function isNiHashAlg(name: string): name is NiHashAlg {
  return Object.hasOwn(NI_HASH_ALGS, name)
}

/**
 * Parses `ni:///alg;value`. Only the empty authority and no query are accepted (TS-0003 uses
 * the name as a bare identifier); the value must be the canonical base64url of a digest of the
 * algorithm's length.
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseNiName(text: string): { readonly alg: NiHashAlg; readonly digest: Uint8Array; readonly name: NiName } {
  const m = NI_RE.exec(text)
  if (m === null) throw invalidId('ni name', 'is not of the form "ni:///<alg>;<base64url>"', text)
  const alg = m[1] ?? ''
  const value = m[2] ?? ''
  if (!isNiHashAlg(alg)) throw invalidId('ni name', 'names a hash other than sha-256, sha-256-128, sha-256-120', text)
  const digest = new Uint8Array(Buffer.from(value, 'base64url'))
  if (digest.length !== NI_HASH_ALGS[alg] || toBase64Url(digest) !== value) {
    throw invalidId('ni name', `digest is not ${NI_HASH_ALGS[alg]} bytes of canonical base64url`, text)
  }
  return { alg, digest, name: text as NiName }
}

/**
 * True when the raw public key hashes to the digest carried by `ni` (TS-0003 §10.1.2 matching).
 * @throws M2MSEC_ID_INVALID when `ni` itself is malformed.
 */
export function matchesNiName(spkiDer: Uint8Array, ni: string): boolean {
  const { alg, digest } = parseNiName(ni)
  const check = spkiSha256(spkiDer).subarray(0, NI_HASH_ALGS[alg])
  let diff = 0
  for (let i = 0; i < digest.length; i++) diff |= (digest[i] ?? 0) ^ (check[i] ?? 0)
  return diff === 0
}
