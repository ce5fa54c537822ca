/**
 * Test PKI made at test time (no private key is ever committed): a P-256 root CA and leaf
 * certificates per the TS-0003 10.1.1 profile (ECDSA-P256-SHA256, keyUsage digitalSignature),
 * with SAN entries of every kind our verifier reads, including RFC 4108 hardwareModuleName.
 * PEM files go to a mkdtemp directory for foreign peers (openssl) and are removed by `t.after`.
 */
import 'reflect-metadata'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer as createNetServer, connect as connectNet, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { webcrypto } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as never)

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

export interface Pem {
  readonly cert: string
  readonly key: string
}

export interface TestSan {
  readonly dns?: readonly string[]
  readonly uri?: readonly string[]
  readonly hardwareModule?: { readonly hwType: string; readonly serialHex: string }
}

export interface TestPki {
  readonly ca: Pem
  issue(subject: string, san: TestSan, options?: { readonly serverAuth?: boolean }): Promise<Pem>
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`
}

/** DER of a SubjectAltName extension value; built by hand because @peculiar/x509 only knows GUID/UPN otherNames. */
function sanExtension(san: TestSan): x509.Extension {
  const names: asn1js.AsnType[] = []
  for (const dns of san.dns ?? []) names.push(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, valueHex: Buffer.from(dns, 'latin1') }))
  for (const uri of san.uri ?? []) names.push(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 6 }, valueHex: Buffer.from(uri, 'latin1') }))
  if (san.hardwareModule) {
    const hwName = new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: san.hardwareModule.hwType }),
        new asn1js.OctetString({ valueHex: Buffer.from(san.hardwareModule.serialHex, 'hex') }),
      ],
    })
    names.push(
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.ObjectIdentifier({ value: '1.3.6.1.5.5.7.8.4' }), new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [hwName] })],
      }),
    )
  }
  return new x509.Extension('2.5.29.17', false, new asn1js.Sequence({ value: names }).toBER())
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return toPem(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

let serial = 1

/** A fresh CA; `issue` signs leaves under it (validity: now − 1 h … now + 1 day). */
export async function createTestPki(caName = 'm2msec test CA'): Promise<TestPki> {
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const notBefore = new Date(Date.now() - 3_600_000)
  const notAfter = new Date(Date.now() + 86_400_000)
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: `CN=${caName}`,
    notBefore,
    notAfter,
    keys: caKeys as never,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    ],
  })
  const ca: Pem = { cert: caCert.toString('pem') + '\n', key: await exportKey(caKeys.privateKey) }
  return {
    ca,
    async issue(subject, san, options = {}) {
      const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, '0'),
        subject: `CN=${subject}`,
        issuer: caCert.subject,
        notBefore,
        notAfter,
        publicKey: keys.publicKey as never,
        signingKey: caKeys.privateKey as never,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([options.serverAuth === false ? '1.3.6.1.5.5.7.3.2' : '1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']),
          sanExtension(san),
        ],
      })
      return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) }
    },
  }
}

/** A temporary directory removed after the test; `write` puts a file in it and returns its path. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<{ readonly path: string; write(name: string, text: string): Promise<string> }> {
  const path = await mkdtemp(join(tmpdir(), 'm2msec-tls-'))
  t.after(() => rm(path, { recursive: true, force: true }))
  return {
    path,
    async write(name, text) {
      const file = join(path, name)
      await writeFile(file, text, { mode: 0o600 })
      return file
    },
  }
}

/**
 * A TCP proxy to `port` that forwards the client's bytes one byte per write (each on its own
 * event-loop turn), so the server sees every TLS record split across many chunks.
 */
export async function byteByByteProxy(t: { after: (fn: () => Promise<void>) => void }, port: number): Promise<number> {
  const sockets = new Set<Socket>()
  const proxy = createNetServer((client) => {
    const upstream = connectNet(port, '127.0.0.1')
    sockets.add(client).add(upstream)
    let chain = Promise.resolve()
    client.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        chain = chain.then(() => new Promise<void>((resolve) => setImmediate(() => (upstream.destroyed ? resolve() : upstream.write(Buffer.from([byte]), () => resolve())))))
      }
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    const close = (): void => {
      client.destroy()
      upstream.destroy()
    }
    client.on('close', close).on('error', close)
    upstream.on('close', close).on('error', close)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.after(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => proxy.close(() => resolve()))
  })
  return (proxy.address() as AddressInfo).port
}
