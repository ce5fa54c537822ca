/**
 * Reading and writing files that hold key-encryption keys (issue 4: "a KEK loaded from a file,
 * created with mode 0600 on first start"). A KEK file must be a regular file that only its owner
 * may read or write: anything else is refused rather than repaired, because a KEK that others
 * could read has already leaked and one that others could write could be swapped.
 *
 * Creation is race-free between two instances starting on one data directory: the content is
 * written and fsynced to a temporary file first and then hard-linked into place, so a reader
 * never sees a half-written KEK and exactly one writer wins.
 */
import { closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import { StoreError } from '../errors.js'

const PRIVATE_MODE = 0o600
const CHECK_MODE = process.platform !== 'win32'

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

function kekInvalid(message: string, cause?: unknown): StoreError {
  return new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', message, cause === undefined ? undefined : { cause })
}

function insecure(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_KEK_INSECURE', 'internal', message)
}

/** Result of reading a private file; `undefined` when it does not exist. */
export function readPrivateFile(path: string, maxLength: number): Uint8Array | undefined {
  let fd: number
  try {
    // O_NOFOLLOW: a symlink could point the KEK at a file whose permissions we never checked.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    const errno = errnoOf(error)
    if (errno === 'ENOENT') return undefined
    if (errno === 'ELOOP') throw insecure(`KEK file ${path} is a symbolic link`)
    throw kekInvalid(`KEK file ${path} cannot be opened (${errno ?? 'error'})`, error)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw insecure(`KEK file ${path} is not a regular file`)
    if (CHECK_MODE && (stat.mode & 0o077) !== 0) {
      throw insecure(`KEK file ${path} has mode ${(stat.mode & 0o777).toString(8)}; it must not be accessible to group or others (chmod 600)`)
    }
    if (stat.size > maxLength) throw kekInvalid(`KEK file ${path} is too large (${stat.size} bytes)`)
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
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
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
    // A leftover temporary file is harmless (mode 0600) and must not hide the real outcome.
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
 * Creates `path` with `content` and mode 0600 unless it already exists.
 * @returns true when this call created the file, false when another writer got there first.
 */
export function createPrivateFileExclusive(path: string, content: Uint8Array): boolean {
  let temp: string | undefined
  try {
    temp = writeTemp(path, content)
    linkSync(temp, path)
    syncDirectory(path)
    return true
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false
    throw kekInvalid(`KEK file ${path} cannot be created (${errnoOf(error) ?? 'error'})`, error)
  } finally {
    if (temp !== undefined) removeQuietly(temp)
  }
}

/** Replaces `path` atomically with `content` (mode 0600): readers see the old or the new file, never a mix. */
export function replacePrivateFile(path: string, content: Uint8Array): void {
  let temp: string | undefined
  try {
    temp = writeTemp(path, content)
    renameSync(temp, path)
    temp = undefined
    syncDirectory(path)
  } catch (error) {
    throw kekInvalid(`KEK file ${path} cannot be written (${errnoOf(error) ?? 'error'})`, error)
  } finally {
    if (temp !== undefined) removeQuietly(temp)
  }
}
