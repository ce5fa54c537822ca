/**
 * A small in-test MEF that follows mef-maf-interface.md §3–§4 closely enough to exercise the
 * device SDK without the real service (src/services/mef): the mixed TLS profile (PSK by KpmID,
 * certificate with the MEF FQDN), the `fr` and Host checks, Client Registration (recording the
 * enrolment from the Bootstrap export of the session it arrived on), its companions and the
 * key procedures (Connection export of the arrival session when `kyv` is absent). It records
 * every request with its socket so tests can assert exact primitives and sessions.
 */
import type { TLSSocket } from 'node:tls'
import {
  connectionKeyFromExport, credentialIdForKpmId, enrolmentKeyFromExport, EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH,
  formatKeId, toHex, type SecretBytes,
} from '../../src/core/index.js'
import type { SanEntry } from '../../src/pki/index.js'
import {
  formatTimestamp, MEF_MAF_RESOURCE_TYPE, readClientRegCreate, readClientRegUpdate, readSymmKeyRegCreate, readSymmKeyRegUpdate, refused, RSC,
  writeClientReg, writeSymmKeyReg, type ClientReg, type JsonValue, type RequestPrimitive, type SymmKeyReg,
} from '../../src/onem2m/index.js'
import { createMixedServer, createOneM2mHttpServer, exportKeyingMaterial, type OneM2mReply, type SecureListenerOptions } from '../../src/transport/index.js'

export interface FakeMefBinding {
  readonly clientId: string
}

export interface RecordedRequest {
  readonly primitive: RequestPrimitive
  readonly socket: TLSSocket
  readonly host: string | undefined
}

export interface FakeEnrolment {
  readonly keId: string
  readonly ke: SecretBytes
  readonly socket: TLSSocket
}

export interface FakeMefOptions {
  readonly fqdn: string
  /** KpmID → Kpm (and optionally the configured Enrolee-ID used as clientId). */
  readonly psk?: ReadonlyMap<string, { readonly kpm: SecretBytes; readonly clientId?: string }>
  readonly certificate?: { readonly mefCert: string; readonly mefKey: string; readonly deviceCa: string }
  /** Replace the answer to one request (fault injection); return undefined to answer normally. */
  readonly override?: (request: RequestPrimitive) => OneM2mReply | undefined
  readonly clientCfg?: JsonValue
}

export interface FakeMef {
  readonly port: number
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly enrolments: FakeEnrolment[]
  readonly registrations: Map<string, ClientReg>
  readonly keys: Map<string, SymmKeyReg & { readonly socket: TLSSocket }>
  connections(): Promise<number>
  close(): Promise<void>
}

const MEF = MEF_MAF_RESOURCE_TYPE
let counter = 0

function certificateClientId(sans: readonly SanEntry[]): string | undefined {
  const uri = sans.find((e) => e.kind === 'uri' && e.value.startsWith('//'))
  return uri?.kind === 'uri' ? uri.value : undefined
}

export async function startFakeMef(t: { after: (fn: () => Promise<void>) => void }, options: FakeMefOptions): Promise<FakeMef> {
  const requests: RecordedRequest[] = []
  const enrolments: FakeEnrolment[] = []
  const registrations = new Map<string, ClientReg>()
  const keys = new Map<string, SymmKeyReg & { readonly socket: TLSSocket }>()
  const listenerOptions: SecureListenerOptions<FakeMefBinding> = {
    ...(options.psk === undefined ? {} : {
      psk: {
        resolve: async (identity) => {
          const entry = options.psk?.get(identity)
          return entry === undefined ? null : { key: entry.kpm, binding: { clientId: entry.clientId ?? credentialIdForKpmId(identity) } }
        },
      },
    }),
    ...(options.certificate === undefined ? {} : {
      certificate: {
        fallback: { cert: options.certificate.mefCert, key: options.certificate.mefKey },
        trustAnchors: [options.certificate.deviceCa],
        resolve: async (peer) => {
          const clientId = certificateClientId(peer.sans)
          return clientId === undefined ? null : { binding: { clientId } }
        },
      },
    }),
  }
  const listener = createMixedServer<FakeMefBinding>(listenerOptions)
  const handle = (request: RequestPrimitive, socket: TLSSocket, clientId: string): OneM2mReply => {
    const reply = (rsc: number, pc?: JsonValue, created?: string): OneM2mReply => ({
      response: { rsc, rqi: request.rqi, rvi: '3', ...(pc === undefined ? {} : { pc }) }, ...(created === undefined ? {} : { createdResourceId: created }),
    })
    const [base, name, extra] = request.to.split('/')
    if (base !== 'mef' || extra !== undefined) throw refused(RSC.NOT_FOUND, 'no such resource')
    if (name === undefined) {
      if (request.op === 1 && request.ty === MEF.MEF_CLIENT_REG) {
        const create = readClientRegCreate('mef', request.pc)
        const material = exportKeyingMaterial(socket, EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH)
        const { relativeKeId, ke } = enrolmentKeyFromExport(material.reveal())
        enrolments.push({ keId: formatKeId(relativeKeId, options.fqdn), ke, socket })
        const ri = `ecrFAKE${String(++counter).padStart(12, '0')}`
        const reg: ClientReg = {
          ri, rn: ri, pi: 'mef', et: create.et, adfq: create.adfq, clid: clientId, ...(create.lbl ? { lbl: create.lbl } : {}),
          ch: [{ nm: 'cmd', typ: MEF.MEF_CLIENT_CMD, val: `mef/${ri}/cmd` }],
        }
        registrations.set(ri, reg)
        return reply(RSC.CREATED, writeClientReg('mef', reg), `mef/${ri}`)
      }
      if (request.op === 1 && request.ty === MEF.SYMM_KEY_REG) {
        const create = readSymmKeyRegCreate(request.pc)
        let rkid: string
        let key: SecretBytes
        if (create.kyv === undefined) {
          const { kcId, kc } = connectionKeyFromExport(exportKeyingMaterial(socket, EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH).reveal())
          rkid = toHex(kcId)
          key = kc
        } else {
          rkid = `K${String(++counter).padStart(8, '0')}`
          key = create.kyv
        }
        const reg = { ri: rkid, rn: rkid, rkid, et: create.et, adfq: create.adfq, suid: create.suid, tgis: create.tgis ?? [], clid: clientId, kyv: key, ...(create.lbl ? { lbl: create.lbl } : {}), socket }
        keys.set(rkid, reg)
        return reply(RSC.CREATED, writeSymmKeyReg(reg, false), `mef/${rkid}`)
      }
      throw refused(RSC.INVALID_CHILD_RESOURCE_TYPE, 'unexpected request on <MEFBase>')
    }
    const [resource, attribute] = name.split('#')
    const reg = registrations.get(resource!)
    if (reg !== undefined) {
      if (reg.clid !== clientId) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'not the creator')
      if (request.op === 2 && attribute === 'ccfg') {
        if (options.clientCfg === undefined) throw refused(RSC.NOT_FOUND, 'no client configuration')
        return reply(RSC.OK, { 'sec:mecr': { ccfg: options.clientCfg } })
      }
      if (request.op === 3) {
        const update = readClientRegUpdate('mef', request.pc)
        registrations.set(reg.ri, { ...reg, ...(update.et ? { et: update.et } : {}), ...(update.lbl ? { lbl: update.lbl } : {}) })
        return reply(RSC.UPDATED, { 'sec:mecr': { ...(update.et ? { et: update.et } : {}), ...(update.lbl ? { lbl: update.lbl } : {}) } })
      }
      if (request.op === 4) {
        registrations.delete(reg.ri)
        return reply(RSC.DELETED)
      }
    }
    const key = keys.get(resource!)
    if (key !== undefined) {
      if (request.op === 2) {
        if (!key.tgis.includes(clientId)) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'not a target of this key')
        return reply(RSC.OK, writeSymmKeyReg(key, true))
      }
      if (key.clid !== clientId) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'not the source of this key')
      if (request.op === 3) {
        const update = readSymmKeyRegUpdate(request.pc)
        keys.set(key.rkid, { ...key, ...update })
        return reply(RSC.UPDATED, { 'sec:skr': { ...(update.et ? { et: update.et } : {}), ...(update.lbl ? { lbl: update.lbl } : {}), ...(update.tgis ? { tgis: update.tgis } : {}) } })
      }
      if (request.op === 4) {
        keys.delete(key.rkid)
        return reply(RSC.DELETED)
      }
    }
    throw refused(RSC.NOT_FOUND, 'unknown registration or key')
  }
  const server = createOneM2mHttpServer<FakeMefBinding>(listener, async (request, context) => {
    const socket = context.connection.socket
    requests.push({ primitive: request, socket, host: context.host })
    if (context.host?.replace(/:\d+$/, '').toLowerCase() !== options.fqdn) throw refused(RSC.NOT_FOUND, 'Host is not this MEF')
    if (request.fr !== context.connection.binding.clientId) throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'fr is not the authenticated client')
    return options.override?.(request) ?? handle(request, socket, context.connection.binding.clientId)
  })
  const sockets = new Set<TLSSocket>()
  listener.on('connection', (connection: { socket: TLSSocket }) => sockets.add(connection.socket))
  const { port } = await listener.listen()
  const close = async (): Promise<void> => {
    server.closeAllConnections()
    server.close()
    for (const socket of sockets) socket.destroy()
    await listener.close()
  }
  t.after(close)
  return {
    port, url: `https://127.0.0.1:${port}`, requests, enrolments, registrations, keys,
    connections: () => listener.getConnections(),
    close,
  }
}

/** Expiry a test can compare with: the timestamp `ms` after `now`. */
export function timestampAfter(now: Date, ms: number): string {
  return formatTimestamp(new Date(now.getTime() + ms))
}
