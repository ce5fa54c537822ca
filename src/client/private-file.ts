/**
 * Files only their owner may touch, device side: the sealed credential file, its KEK file and a
 * key written on request. A file that group or others can read or write is refused, not
 * repaired — a readable KEK has already leaked, a writable one could have been swapped — and so
 * is a symbolic link, whose target's permissions we never checked. Writes go to a 0600 temporary
 * file in the same directory, are fsynced and renamed (or hard-linked, when the target must not
 * exist yet) into place, so a reader sees the old file or the new one, never a mix.
 * (The store has its own copy of this discipline; src/client may not import src/store.)
 */
import { closeSync, constants, fstatSync, fsyncSync, linkSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import { ClientError } from './errors.js'

const PRIVATE_MODE = 0o600
const CHECK_MODE = process.platform !== 'win32'

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

function ioError(message: string, cause: unknown): ClientError {
  return new ClientError('M2MSEC_CLIENT_FILE_IO', 'unavailable', `${message} (${errnoOf(cause) ?? 'error'})`, { cause })
}

function insecure(message: string): ClientError {
  return new ClientError('M2MSEC_CLIENT_FILE_INSECURE', 'bad-input', message)
}

/**
 * Reads a private file; `undefined` when it does not exist.
 * @throws M2MSEC_CLIENT_FILE_INSECURE (symlink, not a regular file, group/other bits set),
 *   M2MSEC_CLIENT_FILE_IO (cannot open, or larger than `maxLength`).
 */
export function readPrivateFile(path: string, what: string, maxLength: number): Uint8Array | undefined {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    const errno = errnoOf(error)
    if (errno === 'ENOENT') return undefined
    if (errno === 'ELOOP') throw insecure(`${what} ${path} is a symbolic link`)
    throw ioError(`${what} ${path} cannot be opened`, error)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw insecure(`${what} ${path} is not a regular file`)
    if (CHECK_MODE && (stat.mode & 0o077) !== 0) {
      throw insecure(`${what} ${path} has mode ${(stat.mode & 0o777).toString(8)}; it must not be accessible to group or others (chmod 600)`)
    }
    if (stat.size > maxLength) throw ioError(`${what} ${path} is too large (${stat.size} bytes)`, undefined)
    const out = new Uint8Array(stat.size)
    let offset = 0
    while (offset < out.length) {
      const n = readSync(fd, out, offset, out.length - offset, offset)
      if (n === 0) break
      offset += n
    }
    return out.subarray(0, offset)
  } finally {
    closeSync(fd)
  }
}

function writeTemp(path: string, content: Uint8Array): string {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const fd = openSync(temp, 'wx', PRIVATE_MODE)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return temp
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // A leftover 0600 temporary file is harmless and must not hide the real outcome.
  }
}

function syncDirectory(path: string): void {
  if (!CHECK_MODE) return
  const fd = openSync(dirname(path), 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes `content` to `path` with mode 0600, atomically.
 * @param replace false: fail with M2MSEC_CLIENT_CREDENTIAL_EXISTS when `path` exists (no race: link(2) is exclusive).
 * @throws M2MSEC_CLIENT_FILE_IO, M2MSEC_CLIENT_CREDENTIAL_EXISTS
 */
export function writePrivateFile(path: string, what: string, content: Uint8Array, replace: boolean): void {
  let temp: string | undefined
  try {
    temp = writeTemp(path, content)
    if (replace) {
      renameSync(temp, path)
      temp = undefined
    } else {
      linkSync(temp, path)
    }
    syncDirectory(path)
  } catch (error) {
    if (!replace && errnoOf(error) === 'EEXIST') {
      throw new ClientError('M2MSEC_CLIENT_CREDENTIAL_EXISTS', 'conflict', `${what} ${path} already exists`)
    }
    throw ioError(`${what} ${path} cannot be written`, error)
  } finally {
    if (temp !== undefined) removeQuietly(temp)
  }
}
