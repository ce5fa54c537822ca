// The sealed device credential file (src/client/credential-file.ts): round trip, sealing under
// the device KEK with field+KeID binding, permissions, atomic 0600 writes, no key bytes in clear.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { SecretBytes, toHex } from '../../../src/core/index.js'
import {
  DEVICE_KEK_ENV, deviceKekId, deviceKekPath, readCredentialFile, writeCredentialFile, type DeviceCredential,
} from '../../../src/client/index.js'

const NO_ENV = {}

function dir(t: TestContext): string {
  const path = mkdtempSync(join(tmpdir(), 'm2msec-cred-'))
  t.after(() => rmSync(path, { recursive: true, force: true }))
  return path
}

function secret(fill: number, length = 32): SecretBytes {
  return new SecretBytes(new Uint8Array(length).map((_, i) => (fill + i * 7) & 0xff))
}

function credential(overrides: Partial<DeviceCredential> = {}): DeviceCredential {
  return {
    keId: '0123456789ABCDEF0123456789ABCDEF@mef.m2msec.example', keExpiry: '2031-01-01T00:00:00.000Z',
    mefUrl: 'https://mef.m2msec.example:8443', mefFqdn: 'mef.m2msec.example', mode: 'usage-constrained',
    target: { enroleeBId: '//sp.example.com/CSE-B01', derivationId: 'cse-b01.sp.example.com' }, suid: 22,
    registration: { regId: 'ecrABC', resourceName: 'ecrABC', clientId: '10-dev1', expiry: '20310101T000000', adminFqdn: 'sp.example.com', labels: ['l1'] },
    handshake: { kind: 'psk', kpmId: 'dev1' },
    ke: secret(1), targetKey: secret(2), kpm: secret(3, 16),
    keys: [{ keyIdentifier: `${'F'.repeat(32)}@mef.m2msec.example`, role: 'source', suid: 23, expiry: '20310101T000000', targetIds: ['//sp.example.com/Cx'], sourceClientId: '10-dev1', key: secret(4) }],
    ...overrides,
  }
}

function secretsOf(c: DeviceCredential): SecretBytes[] {
  return [c.ke, c.targetKey, ...(c.kpm ? [c.kpm] : []), ...c.keys.map((k) => k.key)]
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

test('round trip: identifiers back as written, every secret unsealed equal; files are 0600 and hold no key bytes in clear', (t) => {
  const path = join(dir(t), 'device.json')
  const original = credential()
  writeCredentialFile(path, original, { env: NO_ENV })
  const back = readCredentialFile(path, { env: NO_ENV })
  const { ke, targetKey, kpm, keys, ...ids } = back
  const { ke: _a, targetKey: _b, kpm: _c, keys: originalKeys, ...originalIds } = original
  assert.deepEqual(ids, originalIds)
  assert.ok(ke.equals(original.ke) && targetKey.equals(original.targetKey) && kpm!.equals(original.kpm!))
  assert.equal(keys.length, 1)
  assert.ok(keys[0]!.key.equals(originalKeys[0]!.key))
  assert.equal(statSync(path).mode & 0o777, 0o600)
  assert.equal(statSync(deviceKekPath(path)).mode & 0o777, 0o600)
  assert.equal(statSync(deviceKekPath(path)).size, 32)
  const text = readFileSync(path, 'utf8')
  const kek = readFileSync(deviceKekPath(path))
  for (const s of [...secretsOf(original), new SecretBytes(new Uint8Array(kek))]) {
    for (const form of [toHex(s.reveal()), toHex(s.reveal()).toLowerCase(), Buffer.from(s.reveal()).toString('base64'), Buffer.from(s.reveal()).toString('base64url')]) {
      assert.ok(!text.includes(form), 'no secret in clear')
    }
  }
  assert.match(text, /"keId": "0123456789ABCDEF0123456789ABCDEF@mef\.m2msec\.example"/)
})

test('round trip over random identifiers and secrets (fast-check)', (t) => {
  const base = dir(t)
  let n = 0
  fc.assert(fc.property(
    fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.stringMatching(/^[0-9A-F]{32}$/), fc.string({ minLength: 1, maxLength: 40 }),
    (ke, kpm, hex, label) => {
      const path = join(base, `c${n++}.json`)
      const c = credential({ keId: `${hex}@mef.m2msec.example`, ke: new SecretBytes(ke), kpm: new SecretBytes(kpm), registration: { ...credential().registration, labels: [label] }, keys: [] })
      writeCredentialFile(path, c, { env: NO_ENV })
      const back = readCredentialFile(path, { env: NO_ENV })
      return back.keId === c.keId && back.ke.equals(c.ke) && back.kpm!.equals(c.kpm!) && back.registration.labels?.[0] === label && back.kpm !== undefined
    },
  ), { numRuns: 25 })
})

test('tampering: a flipped bit, a changed KeID, or a secret moved to another field does not open', (t) => {
  const path = join(dir(t), 'device.json')
  writeCredentialFile(path, credential(), { env: NO_ENV })
  const pristine = readFileSync(path, 'utf8')
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of the on-disk JSON
  const doc = (): Record<string, any> => JSON.parse(pristine)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const attempts: Record<string, (d: Record<string, any>) => void> = {
    'flipped ciphertext bit': (d) => {
      const b = Buffer.from(d.sealed.ke, 'base64')
      b[14]! ^= 0x01
      d.sealed.ke = b.toString('base64')
    },
    'flipped tag bit': (d) => {
      const b = Buffer.from(d.sealed.targetKey, 'base64')
      b[b.length - 1]! ^= 0x80
      d.sealed.targetKey = b.toString('base64')
    },
    'truncated blob': (d) => (d.sealed.kpm = Buffer.from(d.sealed.kpm, 'base64').subarray(0, 20).toString('base64')),
    'another KeID': (d) => (d.keId = `${'1'.repeat(32)}@mef.m2msec.example`),
    'ke moved into targetKey': (d) => (d.sealed.targetKey = d.sealed.ke),
    'registered key moved to another identifier': (d) => (d.keys[0].keyIdentifier = `${'E'.repeat(32)}@mef.m2msec.example`),
  }
  for (const [name, change] of Object.entries(attempts)) {
    const d = doc()
    change(d)
    writeFileSync(path, JSON.stringify(d), { mode: 0o600 })
    assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID', name)
  }
  for (const [name, text] of [['not JSON', '{'], ['other format', '{"format":"x","version":1}'], ['version 2', JSON.stringify({ ...doc(), version: 2 })], ['bad mode', JSON.stringify({ ...doc(), mode: 'x' })], ['blob not base64', JSON.stringify({ ...doc(), sealed: { ...doc().sealed, ke: '***' } })]] as const) {
    writeFileSync(path, text, { mode: 0o600 })
    assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_INVALID', name)
  }
})

test('wrong KEK: another KEK file, another M2MSEC_DEVICE_KEK, or none at all', (t) => {
  const base = dir(t)
  const path = join(base, 'device.json')
  writeCredentialFile(path, credential(), { env: NO_ENV })
  const envKek = { [DEVICE_KEK_ENV]: 'ab'.repeat(32) }
  assert.equal(codeOf(() => readCredentialFile(path, { env: envKek })), 'M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID')
  writeFileSync(deviceKekPath(path), Buffer.alloc(32, 0x55), { mode: 0o600 })
  assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID')
  // The file claims the new KEK's id but was sealed under the old one: the GCM tag refuses it.
  const doc = JSON.parse(readFileSync(path, 'utf8'))
  writeFileSync(path, JSON.stringify({ ...doc, kekId: deviceKekId(new SecretBytes(new Uint8Array(32).fill(0x55))) }), { mode: 0o600 })
  assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID')
  rmSync(deviceKekPath(path))
  assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_KEK_INVALID')
  writeFileSync(deviceKekPath(path), Buffer.alloc(31), { mode: 0o600 })
  assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_KEK_INVALID')
  assert.equal(codeOf(() => readCredentialFile(path, { env: { [DEVICE_KEK_ENV]: 'zz' } })), 'M2MSEC_CLIENT_KEK_INVALID')
})

test('the environment KEK (hex or base64) seals without creating a KEK file', (t) => {
  const path = join(dir(t), 'device.json')
  const hex = { [DEVICE_KEK_ENV]: 'c0'.repeat(32) }
  writeCredentialFile(path, credential(), { env: hex })
  assert.equal(existsSync(deviceKekPath(path)), false)
  assert.ok(readCredentialFile(path, { env: { [DEVICE_KEK_ENV]: Buffer.alloc(32, 0xc0).toString('base64') } }).ke.equals(credential().ke))
})

test('permissions: group/world-accessible or symlinked files are refused, existing files are not overwritten unless asked', (t) => {
  const base = dir(t)
  const path = join(base, 'device.json')
  writeCredentialFile(path, credential(), { env: NO_ENV })
  assert.equal(codeOf(() => writeCredentialFile(path, credential(), { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_EXISTS')
  writeCredentialFile(path, credential({ suid: 21, target: { mafId: 'maf.example.com' } }), { env: NO_ENV, overwrite: true })
  assert.equal(readCredentialFile(path, { env: NO_ENV }).suid, 21)
  chmodSync(path, 0o644)
  assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_FILE_INSECURE')
  chmodSync(path, 0o600)
  chmodSync(deviceKekPath(path), 0o640)
  assert.equal(codeOf(() => readCredentialFile(path, { env: NO_ENV })), 'M2MSEC_CLIENT_FILE_INSECURE')
  chmodSync(deviceKekPath(path), 0o600)
  const link = join(base, 'link.json')
  symlinkSync(path, link)
  assert.equal(codeOf(() => readCredentialFile(link, { env: NO_ENV })), 'M2MSEC_CLIENT_FILE_INSECURE')
  assert.equal(codeOf(() => readCredentialFile(join(base, 'absent.json'), { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_NOT_FOUND')
  assert.equal(codeOf(() => writeCredentialFile(join(base, 'no-such-dir', 'x.json'), credential(), { env: { [DEVICE_KEK_ENV]: 'c0'.repeat(32) } })), 'M2MSEC_CLIENT_FILE_IO')
})

test('a credential the reader would refuse is never written (e.g. a registration without resourceName)', (t) => {
  const path = join(dir(t), 'device.json')
  const bad = credential({ registration: { regId: 'ecrABC', clientId: '10-dev1', expiry: '20310101T000000', adminFqdn: 'sp.example.com' } as unknown as DeviceCredential['registration'] })
  assert.equal(codeOf(() => writeCredentialFile(path, bad, { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_INVALID')
  assert.equal(existsSync(path), false)
  assert.equal(codeOf(() => writeCredentialFile(path, credential({ mode: 'other' as DeviceCredential['mode'] }), { env: NO_ENV })), 'M2MSEC_CLIENT_CREDENTIAL_INVALID')
  writeCredentialFile(path, credential(), { env: NO_ENV })
  assert.equal(readCredentialFile(path, { env: NO_ENV }).registration.resourceName, 'ecrABC')
})
