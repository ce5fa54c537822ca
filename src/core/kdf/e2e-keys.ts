/**
 * End-to-end keys (TS-0003 §10.3.6) and the ESPrim session key (§10.3.8.2).
 *
 * Ke2e_master = HMAC-SHA-256(Salt, Kpsa) is RFC 5869 Extract. The expansion is RFC 5869 Expand
 * except that each block carries its own label: T(i) = HMAC(master, T(i-1) ‖ label_i ‖ i).
 * With one label repeated it is exactly HKDF-Expand, which the tests use to check it against
 * RFC 5869's vectors and Node's hkdf.
 */
import { createHmac } from 'node:crypto'
import { ascii, assertLength } from '../bytes.js'
import { CoreError } from '../errors.js'
import { SecretBytes } from '../secret.js'

export const E2E_LABELS = {
  msgAuth: 'E2E Message Authentication Key',
  msgConf: 'E2E Message Confidentiality Key',
  attAuth: 'E2E Attribute Authenticity Key',
  attConf: 'E2E Attribute Confidentiality Key',
} as const

export const SESSION_ESPRIM_KEY_LABEL = 'oneM2M HMAC-SHA256 sessionESPrimKey derivation algorithm'

const HASH_LENGTH = 32

/** Ke2e_master = HMAC-SHA-256(Salt, Kpsa): the salt is the HMAC key (§10.3.6.1, RFC 5869 Extract). */
export function deriveE2eMasterKey(salt: Uint8Array, kpsa: SecretBytes): SecretBytes {
  if (kpsa.length === 0) throw new CoreError('M2MSEC_KEY_INVALID', 'bad-input', 'Kpsa must not be empty')
  return new SecretBytes(new Uint8Array(createHmac('sha256', salt).update(kpsa.reveal()).digest()))
}

/**
 * Chained expansion with one label per 32-byte block (§10.3.6.2). Block i (1-based) is
 * HMAC(prk, T(i-1) ‖ labels[i-1] ‖ i). At most 255 blocks, as in RFC 5869.
 * @throws M2MSEC_INPUT_INVALID for no labels or more than 255.
 */
export function expandWithLabels(prk: SecretBytes, labels: readonly Uint8Array[]): SecretBytes[] {
  if (labels.length === 0 || labels.length > 255) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `expansion needs 1..255 labels (got ${labels.length})`)
  }
  const blocks: SecretBytes[] = []
  let previous = new Uint8Array(0)
  labels.forEach((label, index) => {
    const mac = createHmac('sha256', prk.reveal())
    mac.update(previous).update(label).update(Uint8Array.of(index + 1))
    previous = new Uint8Array(mac.digest())
    blocks.push(new SecretBytes(previous))
  })
  return blocks
}

export interface E2eKeys {
  readonly msgAuth: SecretBytes
  readonly msgConf: SecretBytes
  readonly attAuth: SecretBytes
  readonly attConf: SecretBytes
}

/** Ke2e_msg_auth, Ke2e_msg_conf, Ke2e_att_auth, Ke2e_att_conf = T(1)..T(4) of Table 10.3.6.2-1. */
export function deriveE2eKeys(master: SecretBytes): E2eKeys {
  const [msgAuth, msgConf, attAuth, attConf] = expandWithLabels(master, [
    ascii(E2E_LABELS.msgAuth),
    ascii(E2E_LABELS.msgConf),
    ascii(E2E_LABELS.attAuth),
    ascii(E2E_LABELS.attConf),
  ]) as [SecretBytes, SecretBytes, SecretBytes, SecretBytes]
  return { msgAuth, msgConf, attAuth, attConf }
}

/**
 * sessionESPrimKey = HMAC-SHA-256(pairwiseESPrimKey, receiverRand ‖ originatorRand ‖ label)
 * (§10.3.8.2). The rand objects enter as the bytes the ESPrim exchange carried.
 * @throws M2MSEC_KEY_INVALID for an empty key; M2MSEC_INPUT_INVALID for an empty rand object.
 */
export function deriveSessionESPrimKey(
  pairwiseESPrimKey: SecretBytes,
  receiverESPrimRandObject: Uint8Array,
  originatorESPrimRandObject: Uint8Array,
): SecretBytes {
  if (pairwiseESPrimKey.length === 0) {
    throw new CoreError('M2MSEC_KEY_INVALID', 'bad-input', 'pairwiseESPrimKey must not be empty')
  }
  if (receiverESPrimRandObject.length === 0 || originatorESPrimRandObject.length === 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'ESPrim rand objects must not be empty')
  }
  const mac = createHmac('sha256', pairwiseESPrimKey.reveal())
  mac.update(receiverESPrimRandObject).update(originatorESPrimRandObject).update(ascii(SESSION_ESPRIM_KEY_LABEL))
  const out = new Uint8Array(mac.digest())
  assertLength(out, HASH_LENGTH, 'sessionESPrimKey')
  return new SecretBytes(out)
}
