// Derivations and key wrap against one raw HMAC-SHA256 (the native primitive they are built on).
import { createHmac, randomBytes } from 'node:crypto'
import { SecretBytes } from '../../src/core/index.js'
import { deriveE2eKeys, deriveKm, deriveKpsa, deriveUsageConstrainedKey, deriveSessionESPrimKey, deriveE2eMasterKey } from '../../src/core/kdf/index.js'
import { unwrapKey, wrapKey } from '../../src/core/key-wrap.js'
import { simpleGroup, type BenchCase, type BenchGroup } from '../harness.js'

const keBytes = randomBytes(32)
const ke = new SecretBytes(new Uint8Array(keBytes))
const message = Buffer.from('oneM2M Enrolment Key to Usage-Constrained Symmetric Key derivation21maf.example.com')

const rawHmac: BenchCase = {
  name: 'node HMAC-SHA256 (32-byte key, 83-byte message)',
  run: () => createHmac('sha256', keBytes).update(message).digest(),
}

export const derivationsBenchGroup: BenchGroup = simpleGroup('TS-0003 §10.3 key derivations', rawHmac, [
  { name: 'Km (10.3.2)', run: () => deriveKm(ke, 'maf.example.com') },
  { name: 'Kpsa (10.3.3)', run: () => deriveKpsa(ke, '//m2m.example.com/CSE-B01') },
  { name: 'usage-constrained key (10.3.7)', run: () => deriveUsageConstrainedKey(ke, 21, 'maf.example.com') },
  { name: 'E2E master + 4 keys (10.3.6, 5 HMACs)', run: () => deriveE2eKeys(deriveE2eMasterKey(keBytes, ke)) },
  { name: 'sessionESPrimKey (10.3.8.2)', run: () => deriveSessionESPrimKey(ke, keBytes.subarray(0, 16), keBytes.subarray(16)) },
])

const kek = new SecretBytes(new Uint8Array(randomBytes(32)))
const rootCredential = new SecretBytes(new Uint8Array(randomBytes(32)))
const wrapped = wrapKey(kek, rootCredential)

export const keyWrapBenchGroup: BenchGroup = simpleGroup('RFC 3394 AES-256 key wrap (32-byte key data)', rawHmac, [
  { name: 'wrap', run: () => wrapKey(kek, rootCredential) },
  { name: 'unwrap + integrity check', run: () => unwrapKey(kek, wrapped) },
])
