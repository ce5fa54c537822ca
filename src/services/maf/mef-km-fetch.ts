/**
 * The MAF as Enrolment Target of the MEF (TS-0003 8.3.2.1 "Use of Remotely Provisioned
 * Credential" steps c–f, 8.8.2.3; frameworks.md §10.5, OQ-8, OQ-29; wire form
 * mef-maf-interface.md §6): a RETRIEVE `/fetchCredentials/<KeID>/21` over mutually
 * authenticated TLS in which the MAF presents its FQDN certificate and checks that the MEF's
 * certificate proves the configured MEF-FQDN; `fr` is the MAF-FQDN (MAF-ID). One connection
 * per fetch: fetches are rare (first contact of a KeID) and a pooled session would outlive a
 * revoked certificate.
 *
 * OQ-35 lets a Target try MEF Key Retrieval before fetchCredentials; a KeID presented to a MAF
 * is always an enrolment, never an MEF key registration, so the MAF asks fetchCredentials only.
 */
import { randomBytes } from 'node:crypto'
import { SUID, type SecretBytes } from '../../core/index.js'
import { OPERATION, fetchCredentialsTo, parseTimestamp, readFetchCredentialsResult, RSC } from '../../onem2m/index.js'
import { connectCertificate, createOneM2mClient } from '../../transport/index.js'
import { mefUnavailable } from './errors.js'

export interface MefLinkConfig {
  /** `https://host:port[/…]` of the MEF; only host and port are used (fetchCredentials is at the server root). */
  readonly url: string
  /** MEF-FQDN: SNI, Host, the name the MEF certificate must prove, the `@` part of KeIDs it issues. */
  readonly fqdn: string
  /** PEM trust anchor(s) of the MEF certificate. */
  readonly caPem: string | readonly string[]
}

export type KmFetchRefusal = 'unknown-ke-id' | 'not-authorised' | 'refused'

/** What the MEF answered: the key with EnroleeID and lifetime, or a refusal with its rsc. */
export type KmFetchOutcome =
  | { readonly ok: true; readonly km: SecretBytes; readonly enroleeId: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly refusal: KmFetchRefusal; readonly rsc: number }

export type KmFetcher = (keId: string) => Promise<KmFetchOutcome>

export interface KmFetcherOptions {
  readonly mef: MefLinkConfig
  /** The MAF-FQDN: `fr` of the request (TS-0003 8.3.2.1 step d: the Target's MAF-ID). */
  readonly mafFqdn: string
  /** The MAF's FQDN certificate and key (PEM). */
  readonly credential: { readonly certPem: string; readonly keyPem: string }
  readonly timeoutMs?: number
}

function endpointOf(url: string): { host: string; port: number } {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:') throw new TypeError('the MEF URL must use https')
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port === '' ? 443 : Number(parsed.port) }
}

function refusalOf(rsc: number): KmFetchRefusal {
  if (rsc === RSC.NOT_FOUND) return 'unknown-ke-id'
  if (rsc === RSC.ORIGINATOR_HAS_NO_PRIVILEGE) return 'not-authorised'
  return 'refused'
}

/**
 * A fetcher bound to one MEF.
 * @throws TypeError at creation for a URL that is not https.
 */
export function createMefKmFetcher(options: KmFetcherOptions): KmFetcher {
  const { host, port } = endpointOf(options.mef.url)
  const anchors = typeof options.mef.caPem === 'string' ? [options.mef.caPem] : [...options.mef.caPem]
  const hostHeader = port === 443 ? options.mef.fqdn : `${options.mef.fqdn}:${port}`
  const timeoutMs = options.timeoutMs ?? 10_000
  /**
   * @throws MafError M2MSEC_MAF_MEF_UNAVAILABLE when the MEF cannot be reached, refuses the
   *         handshake, fails internally (5xxx) or answers something unreadable.
   */
  return async (keId) => {
    let socket
    try {
      socket = await connectCertificate({
        host, port, servername: options.mef.fqdn, timeoutMs,
        credential: { cert: options.credential.certPem, key: options.credential.keyPem },
        trustAnchors: anchors,
        expected: { flavour: 'fqdn', fqdn: options.mef.fqdn },
      })
    } catch (error) {
      throw mefUnavailable('the MAF could not open a mutually authenticated session with the MEF', error)
    }
    const client = createOneM2mClient(socket, { host: hostHeader, timeoutMs })
    try {
      const rqi = `maf-${randomBytes(8).toString('hex')}`
      let decoded
      try {
        decoded = await client.send({ op: OPERATION.RETRIEVE, to: fetchCredentialsTo({ keId, suid: SUID.RSPF_MAF }), fr: options.mafFqdn, rqi, rvi: '3' })
      } catch (error) {
        throw mefUnavailable('the fetchCredentials exchange with the MEF failed', error)
      }
      const response = decoded.primitive
      if (response.rsc >= 5000) throw mefUnavailable(`the MEF answered fetchCredentials with ${response.rsc}`)
      if (response.rsc !== RSC.OK) return { ok: false, refusal: refusalOf(response.rsc), rsc: response.rsc }
      let result
      try {
        result = readFetchCredentialsResult(response.pc)
      } catch (error) {
        throw mefUnavailable('the MEF fetchCredentials answer is unreadable', error, 'internal')
      }
      if (!result.stat) return { ok: false, refusal: 'refused', rsc: response.rsc }
      const expiresAt = parseTimestamp(result.lftm)
      if (expiresAt === undefined) {
        result.cred.wipe()
        throw mefUnavailable('the MEF fetchCredentials lifetime is not an m2m:timestamp', undefined, 'internal')
      }
      return { ok: true, km: result.cred, enroleeId: result.enid, expiresAt }
    } finally {
      client.close()
    }
  }
}
