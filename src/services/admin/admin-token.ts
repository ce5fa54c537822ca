/**
 * The admin token (issue 8 "an admin token generated at first start (printed once, stored
 * hashed)"): `m2a_` + base64url(32 random bytes). Only its SHA-256 is kept, in
 * `<data>/admin-token.sha256` (0600, upper-case hex); the clear token exists once, in what the
 * first start or a rotation prints. A presented token is hashed and compared with
 * `timingSafeEqual`, so neither the comparison time nor the file tells the token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AdminError } from './errors.js'

export const ADMIN_TOKEN_FILE = 'admin-token.sha256'
export const ADMIN_TOKEN_PREFIX = 'm2a_'
const HASH_RE = /^[0-9A-F]{64}$/

/** A fresh token (the caller prints it once and keeps only its hash). */
export function generateAdminToken(): string {
  return `${ADMIN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
}

/** SHA-256 of the token's UTF-8 bytes, upper-case hex. */
export function adminTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').toUpperCase()
}

/** Whether `presented` is the token whose hash is `hashHex`: constant time in the presented value's content. */
export function adminTokenMatches(hashHex: string, presented: string): boolean {
  // Hashing first makes both sides 32 bytes whatever was sent, so timingSafeEqual never sees a length difference.
  const expected = Buffer.from(hashHex, 'hex')
  const actual = createHash('sha256').update(presented, 'utf8').digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

function invalidFile(path: string, problem: string, cause?: unknown): AdminError {
  return new AdminError('M2MSEC_ADMIN_TOKEN_FILE_INVALID', 'internal', `${path}: ${problem}`, cause === undefined ? undefined : { cause })
}

function writeHash(path: string, hash: string): void {
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, `${hash}\n`, { mode: 0o600, flag: 'wx' })
  renameSync(temporary, path)
}

/**
 * The stored hash.
 * @throws AdminError M2MSEC_ADMIN_TOKEN_FILE_INVALID when missing, malformed, or open to group/others.
 */
export function readAdminTokenHash(dataDir: string): string {
  const path = join(dataDir, ADMIN_TOKEN_FILE)
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    throw invalidFile(path, 'cannot be opened (run `m2msec up` once, or `m2msec admin token rotate`)', error)
  }
  try {
    if (process.platform !== 'win32' && (fstatSync(fd).mode & 0o077) !== 0) throw invalidFile(path, 'is readable by group or others (chmod 600)')
    const text = readFileSync(fd, 'utf8').trim()
    if (!HASH_RE.test(text)) throw invalidFile(path, 'does not hold a SHA-256 in hex')
    return text
  } finally {
    closeSync(fd)
  }
}

/**
 * The token of the data directory: creates one when none exists and returns it in clear
 * (`created`) — the only time it is known; otherwise only that it exists.
 * @throws AdminError M2MSEC_ADMIN_TOKEN_FILE_INVALID for an unusable existing file.
 */
export function ensureAdminToken(dataDir: string): { readonly created?: string; readonly hash: string } {
  try {
    return { hash: readAdminTokenHash(dataDir) }
  } catch (error) {
    if (!(error instanceof AdminError) || !(error.cause instanceof Error) || (error.cause as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const token = generateAdminToken()
  const hash = adminTokenHash(token)
  writeHash(join(dataDir, ADMIN_TOKEN_FILE), hash)
  return { created: token, hash }
}

/** Replaces the token; returns the new one in clear (print it once). */
export function rotateAdminToken(dataDir: string): string {
  const token = generateAdminToken()
  writeHash(join(dataDir, ADMIN_TOKEN_FILE), adminTokenHash(token))
  return token
}
