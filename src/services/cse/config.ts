/**
 * Configuration of the reference Registrar CSE (ARCHITECTURE.md §1 role `cse`): its CSE-ID
 * (SP-relative, TS-0001 Table 7.2-1), the resource name of its <CSEBase> (TS-0004 §7.4.3), its
 * M2M-SP-ID, and where it listens.
 *
 * The CSE trusts the `fr` of every request (it is meant to sit behind the gateway, which
 * authenticates the peer and binds `fr` to it, TS-0003 §7.2.1): it must therefore listen on a
 * loopback or private address only. `validateCseConfig` refuses a public or wildcard address
 * unless the operator says explicitly that the interface is private (`allowAnyInterface`).
 */
import { isIP } from 'node:net'
import { parseCseId, parseSpId } from '../../core/index.js'
import { configInvalid } from './errors.js'

export interface CseConfigInput {
  /** SP-relative CSE-ID, e.g. `/in-cse`. */
  readonly cseId: string
  /** Resource name of <CSEBase>, e.g. `cse-in`. */
  readonly cseBaseName: string
  /** M2M-SP-ID, `//m2m.example.com` (a bare FQDN is accepted and prefixed). */
  readonly spId: string
  /** cseType of <CSEBase>: 1 IN-CSE (default), 2 MN-CSE, 3 ASN-CSE (TS-0004 §6.3.4.2.2). */
  readonly cseType?: 1 | 2 | 3
  /** Originator allowed every operation on every resource (ACME's `CAdmin` idea); none by default. */
  readonly adminOriginator?: string
}

export interface CseConfig {
  readonly cseId: string
  /** cseId without its leading '/'; also the resourceID of <CSEBase>. */
  readonly cseIdSegment: string
  readonly cseBaseName: string
  readonly spId: string
  readonly cseType: 1 | 2 | 3
  readonly adminOriginator?: string
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** @throws CseError M2MSEC_CSE_CONFIG_INVALID naming the option. */
export function validateCseConfig(input: CseConfigInput): CseConfig {
  let cse
  try {
    cse = parseCseId(input.cseId)
  } catch {
    throw configInvalid(`the CSE-ID '${input.cseId}' is not a CSE-ID`)
  }
  if (cse.form !== 'sp-relative') throw configInvalid('the CSE-ID must be SP-relative, e.g. /in-cse')
  if (!NAME_RE.test(input.cseBaseName)) throw configInvalid('the CSEBase resource name must be a letter or digit followed by letters, digits, "-", "." or "_"')
  let spId: string
  try {
    spId = parseSpId(input.spId.startsWith('//') ? input.spId : `//${input.spId.toLowerCase()}`)
  } catch {
    throw configInvalid(`the SP-ID '${input.spId}' is not //<lower-case FQDN>`)
  }
  const cseType = input.cseType ?? 1
  if (![1, 2, 3].includes(cseType)) throw configInvalid('cseType must be 1, 2 or 3')
  return {
    cseId: cse.spRelative, cseIdSegment: cse.cseId, cseBaseName: input.cseBaseName, spId, cseType,
    ...(input.adminOriginator === undefined ? {} : { adminOriginator: input.adminOriginator }),
  }
}

function isPrivateV4(host: string): boolean {
  const [a = 0, b = 0] = host.split('.').map(Number)
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
}

function isPrivateV6(host: string): boolean {
  const h = host.toLowerCase()
  if (h === '::1') return true
  if (h.startsWith('::ffff:')) return isPrivateV4(h.slice(7))
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h)
}

/**
 * Refuses a listen host through which a stranger could reach the CSE and claim any `fr`.
 * @throws CseError M2MSEC_CSE_CONFIG_INVALID for a public, wildcard or non-literal address.
 */
export function checkListenHost(host: string, allowAnyInterface = false): void {
  if (allowAnyInterface) return
  if (host === 'localhost') return
  const family = isIP(host)
  const ok = family === 4 ? isPrivateV4(host) : family === 6 ? isPrivateV6(host) : false
  if (!ok) {
    throw configInvalid(`the CSE trusts the originator of every request, so it listens on loopback or a private address only (got '${host}'); say it is private with allowAnyInterface / --allow-any-interface`)
  }
}
