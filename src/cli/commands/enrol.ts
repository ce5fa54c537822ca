/**
 * `m2msec enrol`: remote enrolment of this device at an MEF (TS-0003 §8.3.2.1 with a
 * pre-provisioned Kpm, §8.3.2.2 with a certificate) through the client SDK, ending in a sealed
 * device credential file. Prints identifiers only (KeID, registration id) — never key bytes.
 * The shared option parsers of the device commands live here too (key.ts imports them).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { SecretBytes, TARGET_KEY_MODES, type TargetKeyMode } from '../../core/index.js'
import {
  ClientError, enrol, loadDeviceKek, readPrivateFile, writeCredentialFile, type DeviceHandshake, type EnrolmentResult, type EnrolmentTarget,
  type MefCredential,
} from '../../client/index.js'
import { collect } from '../options.js'

export const DEFAULT_CREDENTIAL_FILE = '.m2msec/device-credential.json'

const LIFETIME_RE = /^(\d{1,12})(ms|s|m|h|d)$/
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `30d`, `12h`, `90m`, `3600s`, `500ms` → milliseconds. */
export function parseLifetime(value: string): number {
  const m = LIFETIME_RE.exec(value)
  if (m === null) throw new InvalidArgumentError('expected a number with a unit: ms, s, m, h or d (e.g. 30d)')
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new InvalidArgumentError('lifetime must be positive')
  return ms
}


/**
 * A key file: hex text (whitespace ignored) when it is only hex digits, otherwise the raw bytes.
 * Must be private (0600) like every key file.
 */
export function readKeyFile(path: string, what: string): SecretBytes {
  const bytes = readPrivateFile(path, what, 4096)
  if (bytes === undefined) throw new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', `${what} ${path} does not exist`)
  const text = Buffer.from(bytes).toString('latin1').replace(/\s+/g, '')
  const key = /^(?:[0-9A-Fa-f]{2})+$/.test(text) ? new Uint8Array(Buffer.from(text, 'hex')) : new Uint8Array(bytes)
  bytes.fill(0)
  if (key.length === 0) throw new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', `${what} ${path} is empty`)
  return new SecretBytes(key)
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (cause) {
    throw new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', `${what} ${path} cannot be read`, { cause })
  }
}

interface EnrolCliOptions {
  readonly mef: string
  readonly mefFqdn?: string
  readonly kpmId?: string
  readonly kpmFile?: string
  readonly cert?: string
  readonly key?: string
  readonly mefCa?: string
  readonly mafId?: string
  readonly enroleeBId?: string
  readonly derivationId?: string
  readonly mode: string
  readonly credentialFile: string
  readonly adminFqdn?: string
  readonly lifetime?: number
  readonly enrolmentExpiry?: string
  readonly originator?: string
  readonly label?: readonly string[]
  readonly force: boolean
  readonly json: boolean
}

function usage(message: string): ClientError {
  return new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', message)
}

function handshakeOf(o: EnrolCliOptions): { readonly credential: MefCredential; readonly handshake: DeviceHandshake } {
  const psk = o.kpmId !== undefined || o.kpmFile !== undefined
  const cert = o.cert !== undefined || o.key !== undefined || o.mefCa !== undefined
  if (psk === cert) throw usage('give either --kpm-id with --kpm-file, or --cert with --key and --mef-ca')
  if (psk) {
    if (o.kpmId === undefined || o.kpmFile === undefined) throw usage('--kpm-id and --kpm-file go together')
    return { credential: { kind: 'psk', kpmId: o.kpmId, kpm: readKeyFile(o.kpmFile, 'Kpm file') }, handshake: { kind: 'psk', kpmId: o.kpmId } }
  }
  if (o.cert === undefined || o.key === undefined || o.mefCa === undefined) throw usage('--cert, --key and --mef-ca go together')
  const keyPem = readPrivateFile(o.key, 'device key file', 65536)
  if (keyPem === undefined) throw usage(`device key file ${o.key} does not exist`)
  return {
    credential: { kind: 'certificate', certPem: readText(o.cert, 'certificate file'), keyPem: Buffer.from(keyPem).toString('utf8'), mefCaPem: readText(o.mefCa, 'MEF CA file') },
    handshake: { kind: 'certificate', certFile: resolve(o.cert), keyFile: resolve(o.key), mefCaFile: resolve(o.mefCa) },
  }
}

function targetOf(o: EnrolCliOptions): EnrolmentTarget {
  if ((o.mafId === undefined) === (o.enroleeBId === undefined)) throw usage('give exactly one of --maf-id and --enrolee-b-id')
  if (o.mafId !== undefined) {
    if (o.derivationId !== undefined) throw usage('--derivation-id applies to --enrolee-b-id only')
    return { mafId: o.mafId }
  }
  return { enroleeBId: o.enroleeBId!, ...(o.derivationId === undefined ? {} : { derivationId: o.derivationId }) }
}

function report(result: EnrolmentResult, path: string, json: boolean): void {
  const target = 'mafId' in result.target ? `MAF ${result.target.mafId}` : `Registrar ${result.target.enroleeBId}`
  const summary = {
    keId: result.keId, keExpiry: result.keExpiry?.toISOString() ?? null, mef: result.mefFqdn, target, suid: result.suid, mode: result.mode,
    targetKeyId: result.targetKeyId, registration: result.registration, credentialFile: path,
  }
  if (json) {
    console.log(JSON.stringify(summary))
    return
  }
  console.log(`enrolled at ${result.mefFqdn}`)
  console.log(`KeID              ${result.keId}`)
  console.log(`target            ${target} (SUID ${result.suid}, ${result.mode})`)
  console.log(`target key id     ${result.targetKeyId}  (psk_identity towards the target)`)
  console.log(`registration      ${result.registration.regId} (client ID ${result.registration.clientId}, expires ${result.registration.expiry})`)
  console.log(`credential file   ${path}`)
}

async function runEnrol(o: EnrolCliOptions): Promise<void> {
  const path = resolve(o.credentialFile)
  if (!(TARGET_KEY_MODES as readonly string[]).includes(o.mode)) throw usage(`--mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
  // Refuse before enrolling: an enrolment whose credentials cannot be kept would be orphaned at the MEF.
  if (existsSync(path) && !o.force) throw new ClientError('M2MSEC_CLIENT_CREDENTIAL_EXISTS', 'conflict', `credential file ${path} already exists (use --force to replace it)`)
  const { credential, handshake } = handshakeOf(o)
  const target = targetOf(o)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  loadDeviceKek(path, { create: true })
  const expiry = o.enrolmentExpiry === undefined ? undefined : new Date(o.enrolmentExpiry)
  if (expiry !== undefined && Number.isNaN(expiry.getTime())) throw usage('--enrolment-expiry must be an ISO 8601 date')
  const result = await enrol({
    mefUrl: o.mef, credential, target, mode: o.mode as TargetKeyMode,
    // adminFQDN defaults to the MEF's own FQDN: the MEF operator administers the registration.
    adminFqdn: o.adminFqdn ?? o.mefFqdn ?? new URL(o.mef).hostname,
    ...(o.mefFqdn === undefined ? {} : { mefFqdn: o.mefFqdn }),
    ...(o.lifetime === undefined ? {} : { lifetimeMs: o.lifetime }),
    ...(o.label === undefined ? {} : { labels: o.label }),
    ...(o.originator === undefined ? {} : { originator: o.originator }),
    ...(expiry === undefined ? {} : { enrolmentExpiry: expiry }),
  })
  writeCredentialFile(path, {
    keId: result.keId, mefUrl: o.mef, mefFqdn: result.mefFqdn, mode: result.mode, target: result.target, suid: result.suid,
    registration: result.registration, handshake, ke: result.ke, targetKey: result.targetKey, keys: [],
    ...(result.keExpiry === undefined ? {} : { keExpiry: result.keExpiry.toISOString() }),
    ...(credential.kind === 'psk' ? { kpm: credential.kpm } : {}),
  }, { overwrite: o.force })
  report(result, path, o.json)
}

export function registerEnrolCommand(program: Command): void {
  program
    .command('enrol')
    .description('enrol this device at an MEF (pre-provisioned Kpm or certificate) and keep the result in a sealed credential file')
    .requiredOption('--mef <url>', 'MEF URL, https://host:port')
    .option('--mef-fqdn <fqdn>', 'MEF FQDN (SNI, Host, KeID); default the URL host')
    .option('--kpm-id <id>', 'KpmID (psk_identity of the MEF Handshake)')
    .option('--kpm-file <file>', 'file holding Kpm (hex text or raw bytes, mode 0600)')
    .option('--cert <file>', 'device certificate (PEM)')
    .option('--key <file>', 'device private key (PEM, mode 0600)')
    .option('--mef-ca <file>', 'trust anchor for the MEF certificate (PEM)')
    .option('--maf-id <fqdn>', 'Enrolment Target: a MAF (SUID 21, Km)')
    .option('--enrolee-b-id <id>', 'Enrolment Target: a Registrar, absolute CSE-ID/AE-ID (SUID 22, Kpsa)')
    .option('--derivation-id <fqdn>', 'configured Enrolment-Target-ID of the Registrar (default: its CSE public domain name)')
    .option('--mode <mode>', `target key derivation: ${TARGET_KEY_MODES.join(' | ')}`, 'usage-constrained')
    .option('--credential-file <file>', 'sealed device credential file to write', DEFAULT_CREDENTIAL_FILE)
    .option('--admin-fqdn <fqdn>', 'adminFQDN of the MEF Client Registration (default: the MEF FQDN)')
    .option('--lifetime <duration>', 'requested registration lifetime, e.g. 365d', parseLifetime)
    .option('--enrolment-expiry <iso-date>', 'Enrolment Expiry of this device\'s configuration, recorded with Ke')
    .option('--originator <id>', 'MEF Client ID sent as fr (default: 10-<KpmID>, or the certificate\'s AE-ID/CSE-ID)')
    .option('--label <label>', 'registration label (repeatable)', collect)
    .option('--force', 'replace an existing credential file', false)
    .option('--json', 'print the result as JSON', false)
    .action(async (options: EnrolCliOptions) => runEnrol(options))
}
