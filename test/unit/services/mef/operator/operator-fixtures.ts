// Shared by the operator tests: a real SQLite store in a mkdtemp directory, sealed with the
// AES-256-GCM sealer, and distinctive key material to search for in outputs and files.
import { mkdtemp, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SecretBytes } from '../../../../../src/core/index.js'
import { createAesGcmSealer, openStore } from '../../../../../src/store/index.js'
import type { Store } from '../../../../../src/store/index.js'

export const NOW = new Date('2030-01-02T03:04:05.000Z')

export interface TestStore {
  readonly store: Store
  readonly dir: string
  readonly dbPath: string
}

export async function openTestStore(t: { after: (fn: () => Promise<void>) => void }, clock: () => Date = () => NOW): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-operator-'))
  const dbPath = join(dir, 'store.db')
  const kek = { id: 'test-kek', key: new SecretBytes(new Uint8Array(randomBytes(32))) }
  const store = await openStore({ kind: 'sqlite', path: dbPath }, { sealer: createAesGcmSealer([kek], kek.id), clock })
  t.after(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })
  return { store, dir, dbPath }
}

/** A random-looking 32-byte Kpm as hex (fresh each call so tests never share keys). */
export function freshKpmHex(): string {
  return randomBytes(32).toString('hex')
}

/** Every textual form a key could leak in. */
export function keyForms(hex: string): string[] {
  const bytes = Buffer.from(hex, 'hex')
  return [hex.toLowerCase(), hex.toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')]
}

export function assertNoKey(haystacks: readonly (string | Buffer)[], hexKeys: readonly string[]): void {
  for (const hay of haystacks) {
    const text = typeof hay === 'string' ? hay : hay.toString('latin1')
    const raw = typeof hay === 'string' ? undefined : hay
    for (const hex of hexKeys) {
      for (const form of keyForms(hex)) {
        if (text.includes(form)) throw new Error(`key material found in output (form of length ${form.length})`)
      }
      if (raw !== undefined && raw.includes(Buffer.from(hex, 'hex'))) throw new Error('raw key bytes found in a file')
    }
  }
}
