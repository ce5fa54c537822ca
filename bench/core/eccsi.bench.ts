// ECCSI (RFC 6507) against the native ECDSA P-256 operations its fast path is built on: a
// verification is one ECDSA verification plus an HS hash and a BigInt inversion, a signature one
// native [j]G plus BigInt arithmetic mod q (ARCHITECTURE.md §3).
import { generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import {
  createEccsiSigner,
  createEccsiVerifier,
  generateKmsMasterKey,
  issueSigningKey,
  verifyEccsiReference,
} from '../../src/core/eccsi/index.js'
import { simpleGroup, type BenchCase, type BenchGroup } from '../harness.js'

const message = new Uint8Array(randomBytes(100))

const ecdsa = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const ecdsaSignature = nodeSign('sha256', message, ecdsa.privateKey)

const master = generateKmsMasterKey()
function signerFor(label: string): { id: Uint8Array; sign: (m: Uint8Array) => Uint8Array } {
  const id = new TextEncoder().encode(label)
  const issued = issueSigningKey(master.ksak, master.kpak, id)
  return createEccsiSigner({ id, ssk: issued.ssk, pvt: issued.pvt, kpak: master.kpak })
}
const alice = signerFor('tel:+447700900123@bench.example')
const bob = signerFor('tel:+447700900456@bench.example')
const aliceKey = { id: alice.id, kpak: master.kpak }
const bobKey = { id: bob.id, kpak: master.kpak }
const aliceSignature = alice.sign(message)
const bobSignature = bob.sign(message)

const warm = createEccsiVerifier()
// A one-entry cache fed two signers alternately: every call misses, as for a never-seen signer.
const cold = createEccsiVerifier({ maxCachedSigners: 1 })
let turn = 0

const ecdsaVerify: BenchCase = {
  name: 'node ECDSA P-256 verify (SHA-256, 100-byte message)',
  run: () => nodeVerify('sha256', message, ecdsa.publicKey, ecdsaSignature),
}

export const eccsiBenchGroup: BenchGroup = simpleGroup('RFC 6507 ECCSI verify (100-byte message)', ecdsaVerify, [
  { name: 'ECCSI verify, fast path, warm signer cache', run: () => warm.verify(message, aliceSignature, aliceKey) },
  {
    name: 'ECCSI verify, fast path, cache miss every call',
    run: () => (turn++ % 2 === 0 ? cold.verify(message, aliceSignature, aliceKey) : cold.verify(message, bobSignature, bobKey)),
  },
  { name: 'ECCSI verify, reference (§5.2.2 in noble, no cache)', run: () => verifyEccsiReference(message, aliceSignature, aliceKey) },
])

const ecdsaSign: BenchCase = {
  name: 'node ECDSA P-256 sign (SHA-256, 100-byte message)',
  run: () => nodeSign('sha256', message, ecdsa.privateKey),
}

export const eccsiSignBenchGroup: BenchGroup = simpleGroup('RFC 6507 ECCSI sign (100-byte message)', ecdsaSign, [
  { name: 'ECCSI sign (signer with precomputed HS)', run: () => alice.sign(message) },
])
