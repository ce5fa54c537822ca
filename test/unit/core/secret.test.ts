import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect, format } from 'node:util'
import { SecretBytes } from '../../../src/core/secret.js'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0xc0 + (i % 16))
const HEX = Buffer.from(KEY).toString('hex')
const B64 = Buffer.from(KEY).toString('base64')

test('a SecretBytes renders as a placeholder in every common path', () => {
  const secret = new SecretBytes(KEY.slice())
  const renderings = [
    String(secret),
    `${secret}`,
    JSON.stringify({ secret }),
    inspect(secret),
    inspect({ nested: { secret } }, { depth: 5 }),
    format('%o %O %s %j', secret, secret, secret, { secret }),
  ]
  for (const text of renderings) {
    assert.ok(!text.toLowerCase().includes(HEX.slice(0, 12)), text)
    assert.ok(!text.includes(B64.slice(0, 12)), text)
    assert.ok(!/\b(192|193|194)\b.*\b(195|196)\b/.test(text), `no byte list: ${text}`)
  }
  assert.equal(inspect(secret), 'SecretBytes(32)')
})

test('equals is true only for identical bytes of equal length', () => {
  const a = new SecretBytes(KEY.slice())
  assert.ok(a.equals(new SecretBytes(KEY.slice())))
  const other = KEY.slice()
  other[31]! ^= 1
  assert.ok(!a.equals(new SecretBytes(other)))
  assert.ok(!a.equals(new SecretBytes(KEY.slice(0, 16))))
})

test('wipe zeroes the held bytes', () => {
  const secret = new SecretBytes(KEY.slice())
  secret.wipe()
  assert.ok(secret.reveal().every((b) => b === 0))
})
