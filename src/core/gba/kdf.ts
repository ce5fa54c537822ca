/**
 * The generic 3GPP key derivation function (TS 33.220 annex B.2): derived key =
 * HMAC-SHA-256(Key, S) with S = FC ‖ P0 ‖ L0 ‖ P1 ‖ L1 ‖ … ‖ Pn ‖ Ln, each Li the length of Pi
 * in two big-endian octets. GBA uses it for the NAF keys (annex B.3, see naf-key.ts); other
 * 3GPP KDF users share the same S layout, so this module knows nothing about GBA labels.
 */
import { createHmac } from 'node:crypto'
import { CoreError } from '../errors.js'
import { concatBytes, i2osp } from '../bytes.js'
import { SecretBytes } from '../secret.js'

/** Largest Pi: its length must fit the two-octet Li (B.2.1.1). */
export const GBA_KDF_MAX_PARAMETER_BYTES = 0xffff

/**
 * FC as octets. B.2.2: FC is one octet 0x00–0xFE, or 0xFF followed by one more octet, so
 * 0xFF00–0xFFFF encode the two-octet form and 0xFF alone is refused.
 */
function encodeFc(fc: number): Uint8Array {
  if (Number.isInteger(fc) && fc >= 0 && fc <= 0xfe) return Uint8Array.of(fc)
  if (Number.isInteger(fc) && fc >= 0xff00 && fc <= 0xffff) return Uint8Array.of(0xff, fc & 0xff)
  throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'KDF FC must be 0x00-0xFE or 0xFF00-0xFFFF')
}

/**
 * S = FC ‖ P0 ‖ L0 ‖ … ‖ Pn ‖ Ln, the HMAC input (exposed so tests and traces can check it).
 * @throws M2MSEC_INPUT_INVALID when FC is out of range, no parameter is given, or a parameter
 *   exceeds 65535 bytes.
 */
export function gbaKdfInput(fc: number, parameters: readonly Uint8Array[]): Uint8Array {
  if (parameters.length === 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'KDF needs at least the parameter P0')
  }
  const parts: Uint8Array[] = [encodeFc(fc)]
  parameters.forEach((p, i) => {
    if (p.length > GBA_KDF_MAX_PARAMETER_BYTES) {
      throw new CoreError(
        'M2MSEC_INPUT_INVALID',
        'bad-input',
        `KDF parameter P${i} is ${p.length} bytes; its length must fit two octets (max 65535)`,
      )
    }
    parts.push(p, i2osp(BigInt(p.length), 2))
  })
  return concatBytes(...parts)
}

/**
 * The TS 33.220 B.2 KDF: HMAC-SHA-256(key, S), 32 bytes.
 * @throws M2MSEC_KEY_INVALID when the key is empty; M2MSEC_INPUT_INVALID as for `gbaKdfInput`.
 */
export function gbaKdf(key: SecretBytes, fc: number, parameters: readonly Uint8Array[]): SecretBytes {
  if (key.length === 0) {
    throw new CoreError('M2MSEC_KEY_INVALID', 'bad-input', 'KDF key must not be empty')
  }
  const s = gbaKdfInput(fc, parameters)
  return new SecretBytes(new Uint8Array(createHmac('sha256', key.reveal()).update(s).digest()))
}
