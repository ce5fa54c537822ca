/**
 * Who is calling the admin API (admin-api.md "Authentication"): the bearer admin token, or a TLS
 * client certificate that chains to the development CA (the listener verified it) and carries a
 * URI SAN `urn:m2msec:operator:…`. Role certificates (mef, maf, gateway…) chain to the same CA
 * but carry no such URI: they are not admin credentials. A presented but wrong token is refused
 * even when a certificate would do, so a typo never silently falls back.
 */
import { TLSSocket } from 'node:tls'
import type { Socket } from 'node:net'
import { subjectAltNames } from '../../pki/index.js'
import { adminTokenMatches } from './admin-token.js'

export const OPERATOR_URI_PREFIX = 'urn:m2msec:operator:'
export const TOKEN_ACTOR = 'admin:token'

export interface AdminCredentials {
  /** The stored SHA-256 of the admin token (read per request, so a rotation takes effect at once). */
  readonly tokenHash: () => string
}

function operatorUri(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined
  const cert = socket.getPeerCertificate()
  if (cert === null || typeof cert !== 'object' || !Buffer.isBuffer(cert.raw)) return undefined
  try {
    const uri = subjectAltNames(new Uint8Array(cert.raw)).find((san) => san.kind === 'uri' && san.value.startsWith(OPERATOR_URI_PREFIX))
    return uri?.kind === 'uri' ? uri.value : undefined
  } catch {
    return undefined
  }
}

/** The audit actor (`admin:token`, `admin:urn:m2msec:operator:…`) or undefined when not authenticated. */
export function authenticate(authorization: string | undefined, socket: Socket, credentials: AdminCredentials): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization)
    return match !== null && adminTokenMatches(credentials.tokenHash(), match[1] ?? '') ? TOKEN_ACTOR : undefined
  }
  const uri = operatorUri(socket)
  return uri === undefined ? undefined : `admin:${uri}`
}
