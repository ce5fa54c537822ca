// TLS 1.2 PRF (RFC 5246 §5, P_SHA256) and the RFC 5705 exporter built on it, written
// independently of node:tls so tests can recompute an export from logged session secrets.
import { createHmac } from 'node:crypto'

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key)
  for (const part of parts) mac.update(part)
  return new Uint8Array(mac.digest())
}

export function tls12Prf(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = new Uint8Array([...Buffer.from(label, 'latin1'), ...seed])
  const out: number[] = []
  let a: Uint8Array = labelSeed
  while (out.length < length) {
    a = hmac(secret, a)
    out.push(...hmac(secret, a, labelSeed))
  }
  return new Uint8Array(out.slice(0, length))
}

/** RFC 5705 §4 with no context: PRF(master_secret, label, client_random ‖ server_random). */
export function rfc5705Export(masterSecret: Uint8Array, label: string, clientRandom: Uint8Array, serverRandom: Uint8Array, length: number): Uint8Array {
  return tls12Prf(masterSecret, label, new Uint8Array([...clientRandom, ...serverRandom]), length)
}
