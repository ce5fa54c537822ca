/**
 * Values shared by the store crash test and its child process: the enrolee's KpmID and how key
 * bytes derive from a KeID, so the parent can check every key after a kill.
 */
import { createHash } from 'node:crypto'
import { SecretBytes } from '../../src/core/index.js'

export const CRASH_KPM_ID = 'kpm-crash@mef.example.com'
export const CRASH_MEF = 'mef.example.com'

export function derivedKey(label: string, keId: string): SecretBytes {
  return new SecretBytes(new Uint8Array(createHash('sha256').update(`${label}:${keId}`).digest()))
}
