/**
 * Milenage, the 3GPP example authentication and key generation functions f1, f1*, f2, f3, f4,
 * f5 and f5* (3GPP TS 35.206 §4.1), with the standard constants r1..r5 and c1..c5. The BSF
 * runs it as the network side of Digest AKA and the GBA client as the USIM side (TS 33.220 §4.5.2).
 *
 * A `Milenage` holds one subscriber: E_K keyed once, and OPc (given, or derived from OP as
 * TS 35.206 §4.1 allows). K, OP and OPc are secrets and come in as SecretBytes; RES, CK and IK
 * leave as SecretBytes because they are (or stand in for) keys. MAC-A/MAC-S travel in clear
 * inside AUTN/AUTS and AK only conceals SQN, so those leave as plain bytes.
 */
import { assertLength } from '../bytes.js'
import { SecretBytes } from '../secret.js'
import { BLOCK_BYTES, createKernel, xorBytes, type BlockCipher } from './kernel.js'

export const RAND_BYTES = 16
export const SQN_BYTES = 6
export const AMF_BYTES = 2
export const MAC_BYTES = 8
export const AK_BYTES = 6

/** The operator variant configuration: OP (OPc is then computed) or a precomputed OPc. */
export type OperatorVariant = { readonly op: SecretBytes } | { readonly opc: SecretBytes }

/** f2..f5 of one RAND (TS 35.206 §4.1: OUT2 gives RES and AK, OUT3 CK, OUT4 IK). */
export interface MilenageKeys {
  /** f2, 8 bytes. */
  readonly res: SecretBytes
  /** f3, 16 bytes. */
  readonly ck: SecretBytes
  /** f4, 16 bytes. */
  readonly ik: SecretBytes
  /** f5, 6 bytes. */
  readonly ak: Uint8Array
}

/** Every Milenage output for one (RAND, SQN, AMF). */
export interface MilenageOutputs extends MilenageKeys {
  /** f1, 8 bytes. */
  readonly macA: Uint8Array
  /** f1*, 8 bytes. */
  readonly macS: Uint8Array
  /** f5*, 6 bytes. */
  readonly akStar: Uint8Array
}

// TS 35.206 §4.1 constants: rotations r1..r5 = 64, 0, 32, 64, 96 bits (kept in bytes here) and
// c1..c5 = 0, 1, 2, 4, 8 in the last bit positions (only the final byte is non-zero).
const R1 = 8
const R2 = 0
const R3 = 4
const R4 = 8
const R5 = 12
const C1 = 0
const C2 = 1
const C3 = 2
const C4 = 4
const C5 = 8

/** rot(x, r) of TS 35.206 §4.1: cyclic left rotation of the 128-bit block by `bytes` octets. */
function rotate(block: Uint8Array, bytes: number): Uint8Array {
  const out = new Uint8Array(BLOCK_BYTES)
  for (let i = 0; i < BLOCK_BYTES; i++) out[i] = block[(i + bytes) % BLOCK_BYTES]!
  return out
}

function computeOpcWith(e: BlockCipher, op: Uint8Array): Uint8Array {
  assertLength(op, BLOCK_BYTES, 'OP', true)
  return xorBytes(op, e(op)) // OPc = OP ⊕ E_K(OP)
}

/**
 * OPc = OP ⊕ E_K(OP) (TS 35.206 §4.1), for operators that personalise USIMs with OPc only.
 * @throws M2MSEC_KEY_INVALID when K or OP is not 16 bytes.
 */
export function computeOpc(k: SecretBytes, op: SecretBytes): SecretBytes {
  return new SecretBytes(computeOpcWith(createKernel(k.reveal()), op.reveal()))
}

/** Milenage for one subscriber (K and OPc fixed); every method is a pure function of its inputs. */
export class Milenage {
  readonly #e: BlockCipher
  readonly #opc: Uint8Array

  /** @throws M2MSEC_KEY_INVALID when K, OP or OPc is not 16 bytes. */
  constructor(k: SecretBytes, variant: OperatorVariant) {
    this.#e = createKernel(k.reveal())
    if ('opc' in variant) {
      assertLength(variant.opc.reveal(), BLOCK_BYTES, 'OPc', true)
      this.#opc = Uint8Array.from(variant.opc.reveal())
    } else {
      this.#opc = computeOpcWith(this.#e, variant.op.reveal())
    }
  }

  /** The OPc in use (a copy), e.g. to provision a USIM or store it instead of OP. */
  opc(): SecretBytes {
    return new SecretBytes(Uint8Array.from(this.#opc))
  }

  /**
   * f1: the network authentication code MAC-A.
   * @throws M2MSEC_INPUT_INVALID when RAND, SQN or AMF has the wrong length.
   */
  f1(rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array): Uint8Array {
    return this.#out1(this.#temp(rand), sqn, amf).slice(0, MAC_BYTES)
  }

  /**
   * f1*: the resynchronisation code MAC-S.
   * @throws M2MSEC_INPUT_INVALID when RAND, SQN or AMF has the wrong length.
   */
  f1Star(rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array): Uint8Array {
    return this.#out1(this.#temp(rand), sqn, amf).slice(MAC_BYTES)
  }

  /**
   * f2, f3, f4 and f5 of one RAND (one TEMP shared by all four).
   * @throws M2MSEC_INPUT_INVALID when RAND is not 16 bytes.
   */
  f2345(rand: Uint8Array): MilenageKeys {
    return this.#keys(this.#temp(rand))
  }

  /**
   * f5*: the anonymity key AK* that conceals SQN_MS in AUTS.
   * @throws M2MSEC_INPUT_INVALID when RAND is not 16 bytes.
   */
  f5Star(rand: Uint8Array): Uint8Array {
    return this.#out(this.#temp(rand), R5, C5).slice(0, AK_BYTES)
  }

  /**
   * All seven functions for one (RAND, SQN, AMF), sharing TEMP and OUT1.
   * @throws M2MSEC_INPUT_INVALID when RAND, SQN or AMF has the wrong length.
   */
  compute(rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array): MilenageOutputs {
    const temp = this.#temp(rand)
    const out1 = this.#out1(temp, sqn, amf)
    return {
      macA: out1.slice(0, MAC_BYTES),
      macS: out1.slice(MAC_BYTES),
      ...this.#keys(temp),
      akStar: this.#out(temp, R5, C5).slice(0, AK_BYTES),
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Milenage([secret])'
  }

  /** TEMP = E_K(RAND ⊕ OPc). */
  #temp(rand: Uint8Array): Uint8Array {
    assertLength(rand, RAND_BYTES, 'RAND')
    return this.#e(xorBytes(rand, this.#opc))
  }

  /** OUT1 = E_K(TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1) ⊕ OPc with IN1 = SQN ‖ AMF ‖ SQN ‖ AMF. */
  #out1(temp: Uint8Array, sqn: Uint8Array, amf: Uint8Array): Uint8Array {
    assertLength(sqn, SQN_BYTES, 'SQN')
    assertLength(amf, AMF_BYTES, 'AMF')
    const in1 = new Uint8Array(BLOCK_BYTES)
    in1.set(sqn, 0)
    in1.set(amf, 6)
    in1.set(sqn, 8)
    in1.set(amf, 14)
    const block = xorBytes(temp, rotate(xorBytes(in1, this.#opc), R1))
    block[15]! ^= C1
    return xorBytes(this.#e(block), this.#opc)
  }

  /** OUTi = E_K(rot(TEMP ⊕ OPc, ri) ⊕ ci) ⊕ OPc for i = 2..5. */
  #out(temp: Uint8Array, r: number, c: number): Uint8Array {
    const block = rotate(xorBytes(temp, this.#opc), r)
    block[15]! ^= c
    return xorBytes(this.#e(block), this.#opc)
  }

  #keys(temp: Uint8Array): MilenageKeys {
    const out2 = this.#out(temp, R2, C2)
    return {
      res: new SecretBytes(out2.slice(8, 16)),
      ck: new SecretBytes(this.#out(temp, R3, C3)),
      ik: new SecretBytes(this.#out(temp, R4, C4)),
      ak: out2.slice(0, AK_BYTES),
    }
  }
}
