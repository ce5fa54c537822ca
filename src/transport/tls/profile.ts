/**
 * The TLS profile of TS-0003 10.2 as Node/OpenSSL options: TLS 1.2 only (10.2.1, OQ-27),
 * TLS_PSK_WITH_AES_128_CBC_SHA256 for the PSK frameworks (10.2.2) and
 * TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 on P-256 for the certificate frameworks (10.2.3).
 * Session tickets are off: a resumed session skips the PSK look-up and the certificate checks,
 * so every connection runs a full handshake and gets a freshly resolved binding.
 */
import { constants } from 'node:crypto'
import type { SecureContextOptions } from 'node:tls'

/** The framework a handshake ran; read from the negotiated suite, never from configuration. */
export type TlsFramework = 'psk' | 'certificate'

export const PSK_SUITE = { openssl: 'PSK-AES128-CBC-SHA256', standard: 'TLS_PSK_WITH_AES_128_CBC_SHA256', codePoint: 0x00ae } as const
export const CERTIFICATE_SUITE = {
  openssl: 'ECDHE-ECDSA-AES128-SHA256',
  standard: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  codePoint: 0xc023,
} as const

/** Which framework a negotiated suite belongs to (getCipher().standardName), if it is one of ours. */
export function frameworkOfSuite(standardName: string | undefined): TlsFramework | undefined {
  if (standardName === PSK_SUITE.standard) return 'psk'
  if (standardName === CERTIFICATE_SUITE.standard) return 'certificate'
  return undefined
}

/** Secure-context options shared by our clients and listeners for the given frameworks. */
export function profileOptions(frameworks: readonly TlsFramework[]): SecureContextOptions {
  const ciphers = frameworks.map((f) => (f === 'psk' ? PSK_SUITE.openssl : CERTIFICATE_SUITE.openssl)).join(':')
  return {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers,
    // RFC 8422: only P-256 for ECDHE, only ECDSA-P256-SHA256 signatures (10.1.1).
    ecdhCurve: 'P-256',
    sigalgs: 'ECDSA+SHA256',
    honorCipherOrder: true,
    secureOptions: constants.SSL_OP_NO_TICKET | constants.SSL_OP_NO_RENEGOTIATION,
  }
}
