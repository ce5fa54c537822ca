/**
 * The identity a security context is bound to and the `fr` check every request passes
 * (TS-0003 8.2.1, 7.2.1; TS-0004 7.3.2.1; wire.md §6; frameworks.md §4.2). Bindings hold
 * Absolute IDs; an AE sends its AE-ID-Stem, a CSE its SP-relative CSE-ID, so `fr` is expanded
 * (`C…` → `//sp/<registrar>/C…`, `S…` → `//sp/S…`) before the byte-exact comparison. Pure functions.
 */
import { M2mSecError, parseAeId, parseCseId, toAbsoluteAeId, toAbsoluteCseId } from '../../core/index.js'
import type { BoundEntity } from '../../store/index.js'

/** The Registrar this gateway fronts: its M2M-SP-ID and SP-relative CSE-ID. */
export interface RegistrarIds {
  readonly spId: string
  readonly cseId: string
}

export type OriginatorVerdict =
  | { readonly ok: true }
  /** 'malformed' → 4000; 'not-bound' → 4106 (wire.md §6 table). */
  | { readonly ok: false; readonly refusal: 'malformed' | 'not-bound' }

function tryParse<T>(parse: () => T): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return undefined
    throw error
  }
}

function parsesAbsolute(parse: (text: string) => { readonly form: string }, text: string): boolean {
  return tryParse(() => parse(text).form === 'absolute') === true
}

/**
 * The bound entity of an Absolute AE-ID or CSE-ID, undefined for anything else (a Credential-ID).
 * `//sp/Sxyz` reads as an AE-ID: both grammars accept it, and an S-type stem names an AE (TS-0001).
 */
export function boundEntityOf(id: string): BoundEntity | undefined {
  if (parsesAbsolute(parseAeId, id)) return { kind: 'ae', ids: [id] }
  if (parsesAbsolute(parseCseId, id)) return { kind: 'cse', ids: [id] }
  return undefined
}

/** Absolute form of an AE-ID in any form, or undefined when it is not an AE-ID of this SP. */
export function absoluteAeId(id: string, registrar: RegistrarIds): string | undefined {
  return tryParse(() => toAbsoluteAeId(id, { spId: registrar.spId, registrarCseId: registrar.cseId }))
}

function cseOriginatorAllowed(fr: string, peerCseId: string, registrar: RegistrarIds): OriginatorVerdict {
  const asCse = tryParse(() => parseCseId(fr))
  if (asCse !== undefined && asCse.form !== 'cse-relative') {
    return tryParse(() => toAbsoluteCseId(fr, registrar.spId)) === peerCseId ? { ok: true } : { ok: false, refusal: 'not-bound' }
  }
  const asAe = tryParse(() => parseAeId(fr))
  if (asAe === undefined) return { ok: false, refusal: 'malformed' }
  // A CSE may carry requests of AEs registered with it (transit, TS-0003 7.2.1), never a bare
  // C-stem (that would be one of *our* AEs) nor a C-type AE-ID of another registree CSE.
  if (asAe.form === 'cse-relative') return { ok: false, refusal: 'not-bound' }
  if (asAe.stemType === 'S') return { ok: true }
  const peer = tryParse(() => parseCseId(peerCseId))
  return peer !== undefined && asAe.registrarCseId === peer.spRelative ? { ok: true } : { ok: false, refusal: 'not-bound' }
}

/**
 * Does `fr` match the entity the security context is bound to (wire.md §6)?
 * Without a bound entity nothing but an AE registration may pass, which the caller handles.
 */
export function originatorAllowed(fr: string, bound: BoundEntity | undefined, registrar: RegistrarIds): OriginatorVerdict {
  if (bound === undefined) return { ok: false, refusal: 'not-bound' }
  if (bound.kind === 'cse') {
    const peerCseId = bound.ids[0]
    return peerCseId === undefined ? { ok: false, refusal: 'not-bound' } : cseOriginatorAllowed(fr, peerCseId, registrar)
  }
  if (tryParse(() => parseAeId(fr)) === undefined) return { ok: false, refusal: 'malformed' }
  const absolute = absoluteAeId(fr, registrar)
  return absolute !== undefined && bound.ids.includes(absolute) ? { ok: true } : { ok: false, refusal: 'not-bound' }
}

/** `bound` with `aeId` added (an AE registered on a context bound to AE-IDs or to a Credential-ID only). */
export function withAeId(bound: BoundEntity | undefined, aeId: string): BoundEntity {
  const ids = bound?.kind === 'ae' ? bound.ids : []
  return { kind: 'ae', ids: ids.includes(aeId) ? ids : [...ids, aeId] }
}
