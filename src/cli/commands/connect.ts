/**
 * `m2msec connect`: Entity A in one command (TS-0003 8.2.1, 8.2.2; wire.md §5, §9): opens SA1 to
 * a gateway with a Kpsa (or a Kc under its MAF Key Identifier, or a KeID) or a certificate,
 * registers an AE, creates a container and a contentInstance in it, and prints each response as a
 * JSON line. With `--sa2` the AE is request-reachable: an SA2 server (same credential, roles
 * reversed) listens on `--sa2-listen`, the AE subscribes to its container, and the command waits
 * for the notification of its own contentInstance and prints it. Key bytes are never printed.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { connectEntityA, serveSa2, type EntityACredential, type Sa2Server } from '../../client/index.js'
import { RESOURCE_TYPE, isJsonObject, type RequestPrimitive, type ResponsePrimitive } from '../../onem2m/index.js'
import { collect, parseListen, UsageError } from '../options.js'
import { parseKeyText } from './psk.js'

interface ConnectOptions {
  readonly gateway: string
  readonly fqdn?: string
  readonly pskIdentity?: string
  readonly keyFile?: string
  readonly cert?: string
  readonly key?: string
  readonly gatewayCa: string[]
  readonly cseBase: string
  readonly rn: string
  readonly api: string
  readonly aeId: string
  readonly container: string
  readonly content: string
  readonly sa2: boolean
  readonly sa2Listen: string
  readonly waitMs: string
}

function credentialOf(o: ConnectOptions): EntityACredential {
  const read = (path: string): string => readFileSync(path, 'utf8')
  if (o.pskIdentity !== undefined) {
    if (o.keyFile === undefined || o.cert !== undefined) throw new UsageError('--psk-identity needs --key-file and excludes --cert')
    return { kind: 'psk', identity: o.pskIdentity, key: parseKeyText(read(o.keyFile)) }
  }
  if (o.cert === undefined || o.key === undefined || o.gatewayCa.length === 0) throw new UsageError('give --psk-identity with --key-file, or --cert, --key and --gateway-ca')
  return { kind: 'certificate', certPem: read(o.cert), keyPem: read(o.key), gatewayCaPem: o.gatewayCa.map(read) }
}

function print(step: string, response: ResponsePrimitive): void {
  console.log(JSON.stringify({ step, rsc: response.rsc, ...(response.pc === undefined ? {} : { pc: response.pc }) }))
}

function waitForNotification(ms: number): { onRequest: (r: RequestPrimitive) => undefined; notified: Promise<RequestPrimitive> } {
  let resolve: (r: RequestPrimitive) => void = () => undefined
  let reject: (e: Error) => void = () => undefined
  const notified = new Promise<RequestPrimitive>((res, rej) => ((resolve = res), (reject = rej)))
  const timer = setTimeout(() => reject(new UsageError(`no notification arrived over SA2 within ${ms} ms`)), ms)
  timer.unref()
  return {
    notified: notified.finally(() => clearTimeout(timer)),
    onRequest: (r) => {
      const sgn = isJsonObject(r.pc) ? r.pc['m2m:sgn'] : undefined
      if (isJsonObject(sgn) && sgn['nev'] !== undefined) resolve(r)
      return undefined
    },
  }
}

async function connect(o: ConnectOptions): Promise<void> {
  const credential = credentialOf(o)
  const waitMs = Number(o.waitMs)
  if (!(waitMs > 0)) throw new UsageError(`--wait-ms must be a positive number, got '${o.waitMs}'`)
  const fqdn = o.fqdn ?? new URL(o.gateway).hostname
  const waiter = o.sa2 ? waitForNotification(waitMs) : undefined
  let sa2: Sa2Server | undefined
  const session = await connectEntityA({ gatewayUrl: o.gateway, gatewayFqdn: fqdn, credential })
  try {
    if (waiter !== undefined) sa2 = await serveSa2({ credential, gatewayFqdn: fqdn, listen: parseListen(o.sa2Listen), onRequest: waiter.onRequest })
    print('register', await session.registerAe(o.cseBase, { rn: o.rn, api: o.api, aeId: o.aeId, rr: sa2 !== undefined, ...(sa2 ? { poa: [sa2.poa()] } : {}) }))
    const ae = `${o.cseBase}/${o.rn}`
    print('container', await session.create(ae, RESOURCE_TYPE.CONTAINER, { 'm2m:cnt': { rn: o.container } }))
    if (sa2 !== undefined && session.aeId !== undefined) {
      print('subscription', await session.create(`${ae}/${o.container}`, RESOURCE_TYPE.SUBSCRIPTION, { 'm2m:sub': { rn: 'm2msec-connect', nu: [session.aeId], enc: { net: [3] } } }))
    }
    print('contentInstance', await session.create(`${ae}/${o.container}`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: o.content } }))
    if (waiter !== undefined) {
      const notify = await waiter.notified
      console.log(JSON.stringify({ step: 'notification', fr: notify.fr, pc: notify.pc }))
    }
  } finally {
    session.close()
    await sa2?.close()
  }
}

/** Adds `m2msec connect`. */
export function registerConnectCommand(program: Command): void {
  program
    .command('connect')
    .description('Entity A: open a security association with a gateway, register an AE, create a container and a contentInstance')
    .requiredOption('--gateway <url>', 'https://host:port of the gateway')
    .option('--fqdn <fqdn>', 'gateway FQDN (SNI; default: the URL host)')
    .option('--psk-identity <id>', 'KpsaID, KeID or MAF Key Identifier (PSK, MAF-based SAEF)')
    .option('--key-file <file>', 'file holding the Kpsa or Kc (hex or base64:…)')
    .option('--cert <file>', 'PEM certificate of the entity (certificate SAEF)')
    .option('--key <file>', 'PEM private key of that certificate')
    .option('--gateway-ca <file>', 'PEM trust anchor of the gateway certificate (repeatable)', collect, [])
    .option('--cse-base <name>', 'CSEBase resource name', 'cse-in')
    .option('--rn <name>', 'resource name of the AE', 'm2msec-device')
    .option('--api <app-id>', 'App-ID of the AE', 'Nm2msec-device')
    .option('--ae-id <stem>', 'AE-ID-Stem to ask for, or C / S to have one assigned', 'C')
    .option('--container <name>', 'container to create', 'data')
    .option('--content <text>', 'content of the contentInstance', 'hello')
    .option('--sa2', 'be request-reachable: serve SA2, subscribe to the container and wait for the notification')
    .option('--sa2-listen <host:port>', 'address of the SA2 server', '127.0.0.1:0')
    .option('--wait-ms <ms>', 'how long to wait for the notification', '10000')
    .action((options: ConnectOptions) => connect({ ...options, sa2: options.sa2 === true }))
}
