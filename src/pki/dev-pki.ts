/**
 * The development PKI of a data directory (issue 8, `m2msec up`): the dev CA and one FQDN
 * certificate per role, kept as PEM files so operators and outside peers (openssl, curl) can use
 * them. Idempotent: the first start creates what is missing, later starts reuse what is valid
 * and reissue only a role certificate that no longer fits (another FQDN, expiring, a key that
 * does not match, signed by another CA). The CA itself is never replaced silently: every client
 * holding its certificate would stop trusting the roles, so a broken CA is an error that says
 * how to start over.
 *
 *   <dir>/ca.pem  ca.key        the development CA (key 0600)
 *   <dir>/<role>.pem <role>.key one certificate per role (key 0600)
 *
 * Private keys are written 0600 to a temporary file and renamed into place, so a reader never
 * sees half a key; an existing key file that group or others may read is refused, not repaired.
 */
import { chmodSync, closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import {
  checkDevCa, checkDevCertificate, createDevCa, issueDevCertificate, type DevCertificateUsage, type DevCredentialProblem, type PemCredential,
} from './dev-ca.js'
import { PkiError } from './errors.js'

const PRIVATE_MODE = 0o600
const PUBLIC_MODE = 0o644
const CHECK_MODE = process.platform !== 'win32'
const MAX_PEM_BYTES = 64 * 1024
const DAY_MS = 86_400_000

export interface DevPkiLeafSpec {
  /** File stem and role name: `mef` → mef.pem, mef.key. */
  readonly name: string
  readonly fqdn: string
  /** URI SANs besides the FQDN (e.g. an absolute CSE-ID); a certificate lacking one is reissued. */
  readonly uris?: readonly string[]
  readonly usage?: DevCertificateUsage
}

export interface DevPkiOptions {
  readonly dir: string
  readonly caCommonName: string
  readonly permittedDnsDomains?: readonly string[]
  readonly leaves: readonly DevPkiLeafSpec[]
  readonly now?: Date
  /** Reissue a role certificate this close to its expiry (default 30 days). */
  readonly renewBeforeDays?: number
}

export interface DevPkiLeaf extends PemCredential {
  readonly name: string
  readonly fqdn: string
  readonly certPath: string
  readonly keyPath: string
}

export interface DevPki {
  readonly caCertPath: string
  readonly caCertPem: string
  readonly leaves: ReadonlyMap<string, DevPkiLeaf>
  /** What this call wrote: 'ca' and/or role names, with the reason a role was reissued. */
  readonly written: readonly { readonly name: string; readonly reason: 'created' | DevCredentialProblem }[]
}

function invalid(message: string, cause?: unknown): PkiError {
  return new PkiError('M2MSEC_PKI_DEV_CA_INVALID', 'internal', message, cause === undefined ? undefined : { cause })
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

/** The file's text, undefined when missing; a private file must not be open to group or others. */
function readPem(path: string, privateFile: boolean): string | undefined {
  let fd: number
  try {
    // O_NOFOLLOW: a symlinked key could point at a file whose permissions were never checked.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined
    throw invalid(`${path} cannot be opened (${errnoOf(error) ?? 'error'})`, error)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.size > MAX_PEM_BYTES) throw invalid(`${path} is not a PEM file`)
    if (privateFile && CHECK_MODE && (stat.mode & 0o077) !== 0) {
      throw invalid(`${path} has mode ${(stat.mode & 0o777).toString(8)}; a private key must not be accessible to group or others (chmod 600)`)
    }
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes `text` to `path` atomically (temporary file, fsync, rename) with `mode`; `exclusive`
 * links instead of renaming, so of two processes creating the same file exactly one wins.
 */
function writeAtomically(path: string, text: string, mode: number, exclusive = false): void {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const fd = openSync(temp, 'wx', mode)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    chmodSync(temp, mode) // the umask may have narrowed a public file; a private one stays 0600
    if (exclusive) linkSync(temp, path)
    else renameSync(temp, path)
  } catch (error) {
    if (exclusive && errnoOf(error) === 'EEXIST') throw invalid(`${path} appeared while this process was creating it: another process is setting up this directory; start again`, error)
    throw invalid(`${path} cannot be written (${errnoOf(error) ?? 'error'})`, error)
  } finally {
    removeQuietly(temp)
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already renamed away, or a 0600 leftover: neither hides the real outcome.
  }
}

/** Key first: a crash between the two writes leaves a mismatch the next start detects and repairs. */
function writeCredential(certPath: string, keyPath: string, credential: PemCredential, exclusive = false): void {
  writeAtomically(keyPath, credential.keyPem, PRIVATE_MODE, exclusive)
  writeAtomically(certPath, credential.certPem, PUBLIC_MODE)
}

async function ensureCa(options: DevPkiOptions, now: Date): Promise<{ ca: PemCredential; created: boolean }> {
  const certPath = join(options.dir, 'ca.pem')
  const keyPath = join(options.dir, 'ca.key')
  const certPem = readPem(certPath, false)
  const keyPem = readPem(keyPath, true)
  if (certPem === undefined && keyPem === undefined) {
    const ca = await createDevCa({ commonName: options.caCommonName, now, ...(options.permittedDnsDomains ? { permittedDnsDomains: options.permittedDnsDomains } : {}) })
    writeCredential(certPath, keyPath, ca, true)
    return { ca, created: true }
  }
  const startOver = `remove ${options.dir} to create a new development CA (clients must then trust the new ca.pem)`
  if (certPem === undefined || keyPem === undefined) throw invalid(`the development CA is incomplete (${certPem === undefined ? 'ca.pem' : 'ca.key'} is missing); ${startOver}`)
  const problem = checkDevCa({ certPem, keyPem }, now, 0)
  if (problem !== undefined) throw invalid(`the development CA in ${options.dir} cannot be used (${problem}); ${startOver}`)
  return { ca: { certPem, keyPem }, created: false }
}

/**
 * Creates or reuses the development PKI in `options.dir` (made 0700 when missing).
 * @throws PkiError M2MSEC_PKI_DEV_CA_INVALID when the CA files are incomplete, unusable or not
 *   private, a role key file is not private, or a file cannot be written.
 */
export async function ensureDevPki(options: DevPkiOptions): Promise<DevPki> {
  const now = options.now ?? new Date()
  const renewBeforeMs = (options.renewBeforeDays ?? 30) * DAY_MS
  mkdirSync(options.dir, { recursive: true, mode: 0o700 })
  const { ca, created } = await ensureCa(options, now)
  const written: { name: string; reason: 'created' | DevCredentialProblem }[] = created ? [{ name: 'ca', reason: 'created' }] : []
  const leaves = new Map<string, DevPkiLeaf>()
  for (const spec of options.leaves) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(spec.name) || spec.name === 'ca') throw new RangeError(`role name '${spec.name}' cannot name a certificate file`)
    const certPath = join(options.dir, `${spec.name}.pem`)
    const keyPath = join(options.dir, `${spec.name}.key`)
    const certPem = readPem(certPath, false)
    const keyPem = readPem(keyPath, true)
    const problem = certPem === undefined || keyPem === undefined
      ? 'created'
      : checkDevCertificate({ certPem, keyPem }, ca.certPem, spec.fqdn, now, renewBeforeMs, spec.uris)
    let credential: PemCredential = { certPem: certPem ?? '', keyPem: keyPem ?? '' }
    if (problem !== undefined) {
      credential = await issueDevCertificate(ca, { fqdn: spec.fqdn, now, ...(spec.uris ? { uris: spec.uris } : {}), ...(spec.usage ? { usage: spec.usage } : {}) })
      writeCredential(certPath, keyPath, credential)
      written.push({ name: spec.name, reason: problem })
    }
    leaves.set(spec.name, { name: spec.name, fqdn: spec.fqdn, certPath, keyPath, ...credential })
  }
  return { caCertPath: join(options.dir, 'ca.pem'), caCertPem: ca.certPem, leaves, written }
}
