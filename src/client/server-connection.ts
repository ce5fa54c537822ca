/**
 * How the device side reaches any of our servers (MEF, MAF, gateway): the TLS handshake with a
 * PSK or a certificate whose server must prove the FQDN dialled (frameworks.md §3.5, §11), then a
 * oneM2M client pinned to that session, and one translation of what can go wrong into the
 * client's error codes.
 */
import type { TLSSocket } from 'node:tls'
import type { SecretBytes } from '../core/index.js'
import { connectCertificate, connectPsk, createOneM2mClient, TransportError, type OneM2mClient } from '../transport/index.js'
import { ClientError } from './errors.js'

export interface ServerEndpoint {
  readonly host: string
  readonly port: number
  /** The FQDN the server must prove: SNI, certificate name and Host header. */
  readonly fqdn: string
}

export type ServerCredential =
  | { readonly kind: 'psk'; readonly identity: string; readonly key: SecretBytes }
  | { readonly kind: 'certificate'; readonly certPem: string; readonly keyPem: string; readonly caPem: string | readonly string[] }

export interface ServerConnectionOptions {
  readonly handshakeTimeoutMs?: number
  readonly requestTimeoutMs?: number
}

const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE'])

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

/** The ClientError for a failed handshake with `role` (e.g. 'MEF'): unreachable, bad input, or refused. */
export function handshakeError(role: string, error: unknown): ClientError {
  const errno = errnoOf(error instanceof TransportError ? error.cause : error)
  if ((error instanceof TransportError && error.code === 'M2MSEC_TLS_HANDSHAKE_TIMEOUT') || (errno !== undefined && UNREACHABLE_ERRNOS.has(errno))) {
    return new ClientError('M2MSEC_CLIENT_UNREACHABLE', 'unavailable', `${role} is not reachable${errno ? ` (${errno})` : ''}`, { cause: error })
  }
  if (error instanceof TransportError && error.code === 'M2MSEC_TLS_CONFIG_INVALID') {
    return new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', error.message, { cause: error })
  }
  return new ClientError('M2MSEC_CLIENT_HANDSHAKE_FAILED', 'unauthenticated', `${role} Handshake failed (credential refused, or the ${role} did not prove its FQDN)`, { cause: error })
}

/**
 * Runs the handshake with the server at `endpoint` and returns a oneM2M client pinned to it.
 * @throws ClientError M2MSEC_CLIENT_UNREACHABLE, M2MSEC_CLIENT_HANDSHAKE_FAILED, M2MSEC_CLIENT_INPUT_INVALID
 */
export async function connectToServer(role: string, endpoint: ServerEndpoint, credential: ServerCredential, options: ServerConnectionOptions = {}): Promise<OneM2mClient> {
  const common = {
    host: endpoint.host, port: endpoint.port, servername: endpoint.fqdn,
    ...(options.handshakeTimeoutMs === undefined ? {} : { timeoutMs: options.handshakeTimeoutMs }),
  }
  let socket: TLSSocket
  try {
    socket = credential.kind === 'psk'
      ? await connectPsk({ ...common, identity: credential.identity, key: credential.key })
      : await connectCertificate({
          ...common,
          credential: { cert: credential.certPem, key: credential.keyPem },
          trustAnchors: typeof credential.caPem === 'string' ? [credential.caPem] : [...credential.caPem],
          expected: { flavour: 'fqdn', fqdn: endpoint.fqdn },
        })
  } catch (error) {
    throw handshakeError(role, error)
  }
  // Host carries the port when it is not the default, as HTTP/1.1 asks; servers compare the name part.
  const host = endpoint.port === 443 ? endpoint.fqdn : `${endpoint.fqdn}:${endpoint.port}`
  return createOneM2mClient(socket, { host, ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }) })
}
