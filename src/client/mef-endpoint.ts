/**
 * Where an Enrolee finds its MEF: the "MEF URI" of its enrolment configuration (TS-0003 §8.3.2.1,
 * frameworks.md §10.1) as `https://host[:port][/path]`, plus the MEF-FQDN that names the MEF in
 * TLS SNI, the HTTP Host header, KeIDs and Key Identifiers (mef-maf-interface.md §2.3). The
 * FQDN defaults to the URL's host; a URL with an IP address needs it given explicitly. The
 * path, when present, is the `<MEFBase>` (mef-maf-interface.md Q7: `https://mef.example.com:8443/mef`
 * and `https://mef.example.com:8443` both mean base `mef`).
 */
import { isIP } from 'node:net'
import { parseFqdn, type Fqdn } from '../core/index.js'
import { MEF_MAF_PATHS } from '../onem2m/index.js'
import { invalidInput } from './errors.js'

export interface MefEndpoint {
  /** Host to dial (name or IP literal, brackets removed). */
  readonly host: string
  readonly port: number
  /** MEF-FQDN (MEF-ID): SNI, Host header, the `@…` part of KeID and Key Identifiers. */
  readonly fqdn: Fqdn
  /** CSE-relative `to` of `<MEFBase>` (default `mef`). */
  readonly base: string
  /** The URL as given, for the credential file. */
  readonly url: string
}

const DEFAULT_HTTPS_PORT = 443

/**
 * Parses the MEF URL.
 * @throws M2MSEC_CLIENT_INPUT_INVALID when the URL is not https, carries credentials, a query or
 *   fragment, or when no valid MEF-FQDN is given or derivable.
 */
export function parseMefEndpoint(url: string, mefFqdn?: string): MefEndpoint {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw invalidInput(`MEF URL is not a URL (length ${url.length})`, cause)
  }
  if (parsed.protocol !== 'https:') throw invalidInput(`MEF URL must use https, not ${parsed.protocol}`)
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
    throw invalidInput('MEF URL must not carry user information, a query or a fragment')
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  const fqdnText = mefFqdn ?? host
  if (mefFqdn === undefined && isIP(host) !== 0) throw invalidInput(`MEF URL names an IP address (${host}); give the MEF FQDN explicitly`)
  let fqdn: Fqdn
  try {
    fqdn = parseFqdn(fqdnText)
  } catch (cause) {
    throw invalidInput(`MEF FQDN '${fqdnText.slice(0, 64)}' is not an FQDN`, cause)
  }
  const path = parsed.pathname.replace(/^\/+|\/+$/g, '')
  if (!/^[A-Za-z0-9._~-]*(?:\/[A-Za-z0-9._~-]+)*$/.test(path)) throw invalidInput('MEF URL path must be plain segments (letters, digits, . _ ~ -)')
  return {
    host,
    port: parsed.port === '' ? DEFAULT_HTTPS_PORT : Number(parsed.port),
    fqdn,
    base: path === '' ? MEF_MAF_PATHS.mefBaseName : path,
    url,
  }
}
