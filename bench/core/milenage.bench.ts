// Milenage and GBA key derivation against one raw AES-128-ECB block encryption, the kernel E_K
// Milenage calls 6 to 8 times per full set (TS 35.206 §4.1).
import { createCipheriv, randomBytes } from 'node:crypto'
import { SecretBytes } from '../../src/core/secret.js'
import { Milenage, generateAuthenticationVector } from '../../src/core/milenage/index.js'
import { buildNafId, deriveKs, deriveKsNaf } from '../../src/core/gba/index.js'
import { simpleGroup, type BenchCase, type BenchGroup } from '../harness.js'

const kBytes = randomBytes(16)
const k = new SecretBytes(new Uint8Array(kBytes))
const opc = new SecretBytes(new Uint8Array(randomBytes(16)))
const rand = new Uint8Array(randomBytes(16))
const sqn = new Uint8Array(randomBytes(6))
const amf = Uint8Array.of(0x80, 0x00)
const block = randomBytes(16)

const milenage = new Milenage(k, { opc })
const vector = generateAuthenticationVector(milenage, rand, sqn, amf)
const ks = deriveKs(vector.ck, vector.ik)
const impi = '001010123456789@ims.mnc001.mcc001.3gppnetwork.org'
const nafId = buildNafId('maf.example.com')

const rawAesBlock: BenchCase = {
  name: 'node AES-128-ECB, one block (new cipher per op)',
  run: () => {
    const cipher = createCipheriv('aes-128-ecb', kBytes, null).setAutoPadding(false)
    return cipher.update(block)
  },
}

export const milenageBenchGroup: BenchGroup = simpleGroup('Milenage (TS 35.206) and GBA keys (TS 33.220 B.3)', rawAesBlock, [
  { name: 'Milenage f1, f1*, f2-f5, f5* (keyed instance)', run: () => milenage.compute(rand, sqn, amf) },
  { name: 'Milenage keyed from K/OPc + full set', run: () => new Milenage(k, { opc }).compute(rand, sqn, amf) },
  { name: 'authentication vector (AUTN, XRES, CK, IK)', run: () => generateAuthenticationVector(milenage, rand, sqn, amf) },
  { name: 'Ks_NAF (B.2 KDF, NAF_Id prebuilt)', run: () => deriveKsNaf({ ks, rand, impi, nafId }) },
  { name: 'Ks_NAF incl. NAF_Id from the FQDN', run: () => deriveKsNaf({ ks, rand, impi, nafId: buildNafId('maf.example.com') }) },
])
