/**
 * AE registration against the service subscription rules (`<serviceSubscribedAppRule>`,
 * TS-0001 10.2.2.2 step 003, TS-0004 7.3.2.7; wire.md §5.2, §7.3–§7.4; frameworks.md §4.3):
 * a rule applies when the SA's Credential-ID matches one `applicableCredIDs` pattern, the App-ID
 * one `allowedApp-IDs` pattern and the AE-ID-Stem one `allowedAEs` pattern. Rules without
 * `applicableCredIDs` are for registrations without an SA and never apply at the gateway, which
 * admits nothing without one. Patterns: `*` matches any run of characters, everything else
 * itself, case-sensitively (Credential-IDs are normalised, OQ-2). Pure functions.
 *
 * A credential whose AE-IDs are already known (AE-ID certificate, a Kpsa configured with its
 * AE-ID, an EnroleeID from the MEF, IdA from the MAF, an earlier registration) registers only
 * those (frameworks.md §4.3 step 2 first bullets); the rules decide for the others.
 */
import type { AppRule, BoundEntity } from '../../store/index.js'
import { absoluteAeId, type RegistrarIds } from './entity-binding.js'

export type RegistrationRefusal =
  /** No rule exists at all: 4128 SERVICE_SUBSCRIPTION_NOT_ESTABLISHED. */
  | 'no-subscription'
  /** No rule matches: 4126 APP_RULE_VALIDATION_FAILED. */
  | 'no-matching-rule'
  /** The requested AE-ID is not one bound to the credential: 4106. */
  | 'not-bound'
  /** `fr` or `api` malformed, or a CSE registering an AE: 4000. */
  | 'malformed'

export type RegistrationDecision =
  | {
    readonly ok: true
    /** `fr` to forward: a stem the gateway accepted or assigned, or a bare `C`/`S` for the CSE to complete. */
    readonly fr: string
    /** Checks the AE-ID the CSE assigned (Absolute form) before it is bound to the context. */
    readonly allows: (absoluteAeId: string) => boolean
  }
  | { readonly ok: false; readonly refusal: RegistrationRefusal }

export interface RegistrationInput {
  /** `fr` of the CREATE: absent, `C`, `S`, or an AE-ID-Stem. */
  readonly fr: string | undefined
  /** `api` of the `<AE>` content. */
  readonly api: string | undefined
  readonly credentialId: string
  readonly bound: BoundEntity | undefined
  readonly rules: readonly AppRule[]
  readonly registrar: RegistrarIds
}

const patternCache = new Map<string, RegExp>()

/** Wildcard match of wire.md §7.3 (`C123*X`, `*`, exact values). */
export function matchesPattern(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern)
  if (re === undefined) {
    re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's')
    if (patternCache.size < 4096) patternCache.set(pattern, re)
  }
  return re.test(value)
}

const anyMatches = (patterns: readonly string[], value: string): boolean => patterns.some((p) => matchesPattern(p, value))

/** The stem part of an AE-ID in any form (`//sp/cse/Cx` → `Cx`, `/Sx` → `Sx`). */
function stemOf(aeId: string): string {
  return aeId.slice(aeId.lastIndexOf('/') + 1)
}

/** Could `pattern` yield a stem of type `wanted`? */
function yieldsType(pattern: string, wanted: 'C' | 'S' | undefined): boolean {
  if (wanted === undefined) return pattern.startsWith('C') || pattern.startsWith('S') || pattern.startsWith('*')
  return pattern.startsWith(wanted) || pattern.startsWith('*')
}

function fromBinding(input: RegistrationInput, bound: BoundEntity, requested: 'C' | 'S' | undefined): RegistrationDecision {
  if (bound.kind !== 'ae') return { ok: false, refusal: 'malformed' }
  const allows = (id: string): boolean => bound.ids.includes(id)
  if (requested === undefined && input.fr !== undefined) {
    const absolute = absoluteAeId(input.fr, input.registrar)
    return absolute !== undefined && allows(absolute) ? { ok: true, fr: input.fr, allows } : { ok: false, refusal: 'not-bound' }
  }
  // `fr` absent, `C` or `S`: the gateway assigns the bound AE-ID (TS-0001 10.2.2.2: pre-provisioned stem).
  const own = bound.ids.find((id) => {
    const absolute = absoluteAeId(stemOf(id), input.registrar)
    return absolute === id && (requested === undefined || stemOf(id).startsWith(requested))
  })
  return own === undefined ? { ok: false, refusal: 'not-bound' } : { ok: true, fr: stemOf(own), allows }
}

function fromRules(input: RegistrationInput, api: string, requested: 'C' | 'S' | undefined): RegistrationDecision {
  if (input.rules.length === 0) return { ok: false, refusal: 'no-subscription' }
  const applicable = input.rules.filter((r) => r.applicableCredIds !== undefined && anyMatches(r.applicableCredIds, input.credentialId) && anyMatches(r.allowedAppIds, api))
  const patterns = applicable.flatMap((r) => r.allowedAes)
  const allows = (id: string): boolean => absoluteAeId(stemOf(id), input.registrar) === id && anyMatches(patterns, stemOf(id))
  if (requested === undefined && input.fr !== undefined) {
    return anyMatches(patterns, input.fr) ? { ok: true, fr: input.fr, allows } : { ok: false, refusal: 'no-matching-rule' }
  }
  const usable = patterns.filter((p) => yieldsType(p, requested))
  if (usable.length === 0) return { ok: false, refusal: 'no-matching-rule' }
  // An exact allowed stem is assigned by the gateway; otherwise the CSE picks one of the type
  // and `allows` checks its choice against the same patterns.
  const exact = usable.find((p) => !p.includes('*') && (p.startsWith('C') || p.startsWith('S')))
  if (exact !== undefined) return { ok: true, fr: exact, allows }
  const type = requested ?? (usable.some((p) => p.startsWith('C') || p.startsWith('*')) ? 'C' : 'S')
  return { ok: true, fr: type, allows }
}

/** Decides an AE registration (wire.md §5.2 steps 2–3, §7.4). */
export function decideRegistration(input: RegistrationInput): RegistrationDecision {
  const fr = input.fr
  if (fr !== undefined && !/^[CS]([A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(fr)) return { ok: false, refusal: 'malformed' }
  const requested = fr === 'C' || fr === 'S' ? fr : undefined
  if (input.bound !== undefined) return fromBinding(input, input.bound, requested)
  // wire.md §5.2 step 5: api starts with R, r or N.
  if (input.api === undefined || !/^[RrN]/.test(input.api)) return { ok: false, refusal: 'malformed' }
  return fromRules(input, input.api, requested)
}
