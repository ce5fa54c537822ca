/**
 * RFC 5705 keying-material export from an established TLS 1.2 session, as every TS-0003
 * framework that derives a key from its handshake uses it (Ke 10.3.1, Kc 8.8.2.7, …).
 * No context argument, ever: RFC 5705 §4 puts a "context present" flag into the PRF seed, so
 * an empty context yields different bytes than no context, and the frameworks use none.
 */
import type { TLSSocket } from 'node:tls'
import { SecretBytes } from '../../core/index.js'
import { TransportError } from '../errors.js'

/**
 * `length` bytes of RFC 5705 keying material for `label`, as a secret.
 * @throws M2MSEC_TLS_NOT_ESTABLISHED when the socket has no finished TLS 1.2 handshake.
 * @throws M2MSEC_TLS_CONFIG_INVALID when the label is empty or the length is not 1..1024.
 */
export function exportKeyingMaterial(socket: TLSSocket, label: string, length: number): SecretBytes {
  if (label.length === 0 || !Number.isInteger(length) || length < 1 || length > 1024) {
    throw new TransportError('M2MSEC_TLS_CONFIG_INVALID', 'bad-input', `exporter label length ${label.length} or output length ${length} is out of range`)
  }
  // Both Finished messages exist only once the handshake is complete on this side.
  const finished = socket.getFinished() !== undefined && socket.getPeerFinished() !== undefined
  if (socket.destroyed || !finished || socket.getProtocol() !== 'TLSv1.2') {
    throw new TransportError('M2MSEC_TLS_NOT_ESTABLISHED', 'bad-input', 'keying material needs an established TLS 1.2 session')
  }
  // @types/node declares `context` required; at run time an absent context means "no context" (RFC 5705 §4).
  const exportWithoutContext = socket.exportKeyingMaterial as (length: number, label: string) => Buffer
  return new SecretBytes(new Uint8Array(exportWithoutContext.call(socket, length, label)))
}
