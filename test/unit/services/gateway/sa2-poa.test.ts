// SA2 pointOfAccess rewriting and the relay's pure helpers (TS-0003 8.2.1 figure 8.2.1-2,
// frameworks.md §4.5, wire.md §9.3; D-136): the token round-trips and refuses any change, only
// https entries of an AE/remoteCSE CREATE or an UPDATE are rewritten, relay paths split and join
// back onto the entity's poa, and a certificate Credential-ID names the identifier SA2 expects.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { SecretBytes, credentialIdForCertificate } from '../../../../src/core/index.js'
import { OPERATION, RESOURCE_TYPE, type RequestPrimitive } from '../../../../src/onem2m/index.js'
import { openSa2Token, rewritePoa, sealSa2Token, splitRelayPath, type Sa2Target } from '../../../../src/services/gateway/sa2-poa.js'
import { entityPath, expectedPeerOf } from '../../../../src/services/gateway/sa2-relay.js'
import type { SecurityContext } from '../../../../src/services/gateway/saef/index.js'

const KEY = new SecretBytes(new Uint8Array(randomBytes(32)))
const OTHER_KEY = new SecretBytes(new Uint8Array(randomBytes(32)))
const TARGET: Sa2Target = { poa: 'https://10.0.0.7:9443/notify', saef: 'psk', credentialId: '12-dev-1@psk.example.com', identity: 'dev-1@psk.example.com' }
const CONTEXT: SecurityContext = { saef: 'psk', credentialId: TARGET.credentialId, identity: 'dev-1@psk.example.com' }
const RELAY = 'http://127.0.0.1:4242'

function aeCreate(poa: unknown[]): RequestPrimitive {
  return { op: OPERATION.CREATE, to: 'cse-in', fr: 'C', rqi: 'r1', rvi: '3', ty: RESOURCE_TYPE.AE, pc: { 'm2m:ae': { rn: 'a', api: 'Nx', rr: true, poa } } } as RequestPrimitive
}

function poaOf(body: Uint8Array | undefined, root = 'm2m:ae'): string[] {
  assert.ok(body !== undefined, 'the body was rewritten')
  return (JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, { poa: string[] }>)[root]!.poa
}

test('D-136 SA2 token: any target round-trips under its key', () => {
  fc.assert(fc.property(
    fc.webUrl({ validSchemes: ['https'] }), fc.constantFrom('psk', 'maf', 'certificate'), fc.string({ minLength: 1, maxLength: 80 }), fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
    (poa, saef, credentialId, identity) => {
      const target: Sa2Target = { poa, saef, credentialId, ...(identity === undefined ? {} : { identity }) }
      assert.deepEqual(openSa2Token(KEY, sealSa2Token(KEY, target)), target)
    },
  ))
})

test('D-136 SA2 token: another key, a changed payload character, a changed tag or truncation opens nothing', () => {
  const token = sealSa2Token(KEY, TARGET)
  assert.equal(openSa2Token(OTHER_KEY, token), undefined)
  const [payload, tag] = token.split('.') as [string, string]
  for (let i = 0; i < payload.length; i += 7) {
    const changed = `${payload.slice(0, i)}${payload[i] === 'A' ? 'B' : 'A'}${payload.slice(i + 1)}`
    assert.equal(openSa2Token(KEY, `${changed}.${tag}`), undefined, `payload character ${i}`)
  }
  assert.equal(openSa2Token(KEY, `${payload}.${tag.slice(0, -1)}${tag.endsWith('A') ? 'B' : 'A'}`), undefined, 'last tag character (padding bits too)')
  assert.equal(openSa2Token(KEY, token.slice(0, -1)), undefined, 'truncated')
  assert.equal(openSa2Token(KEY, ''), undefined, 'empty')
  assert.equal(openSa2Token(KEY, `${payload}`), undefined, 'no tag')
})

test('D-136 SA2 token: a validly tagged payload that is not an https target is refused', () => {
  // Sealed through the same code path with a non-https poa: the opener still refuses it.
  const plain = sealSa2Token(KEY, { ...TARGET, poa: 'http://10.0.0.7/notify' })
  assert.equal(openSa2Token(KEY, plain), undefined)
})

test('wire.md §9.3: https poa entries of an AE CREATE become relay URLs, other schemes stay', () => {
  const body = rewritePoa(aeCreate(['https://10.0.0.7:9443/notify', 'http://10.0.0.7/plain', 'coaps://10.0.0.7']), CONTEXT, KEY, RELAY)
  const poa = poaOf(body)
  assert.equal(poa.length, 3)
  assert.ok(poa[0]!.startsWith(`${RELAY}/sa2/`))
  assert.deepEqual(poa.slice(1), ['http://10.0.0.7/plain', 'coaps://10.0.0.7'])
  const split = splitRelayPath(poa[0]!.slice(RELAY.length))
  assert.deepEqual(openSa2Token(KEY, split!.token), TARGET)
})

test('wire.md §9.3: an UPDATE of poa and a remoteCSE CREATE are rewritten; a RETRIEVE, a container or no https entry is not', () => {
  const update = { op: OPERATION.UPDATE, to: 'cse-in/a', fr: 'Ca', rqi: 'r2', rvi: '3', pc: { 'm2m:ae': { poa: ['https://h.example:1/n'] } } } as RequestPrimitive
  assert.ok(poaOf(rewritePoa(update, CONTEXT, KEY, RELAY))[0]!.startsWith(RELAY))
  const csr = { op: OPERATION.CREATE, to: 'cse-in', fr: '/CSE-2', rqi: 'r3', rvi: '3', ty: RESOURCE_TYPE.REMOTE_CSE, pc: { 'm2m:csr': { csi: '/CSE-2', cb: '/CSE-2/b', rr: true, poa: ['https://cse2.example'] } } } as RequestPrimitive
  assert.ok(poaOf(rewritePoa(csr, CONTEXT, KEY, RELAY), 'm2m:csr')[0]!.startsWith(RELAY))
  assert.equal(rewritePoa({ ...update, op: OPERATION.RETRIEVE }, CONTEXT, KEY, RELAY), undefined)
  assert.equal(rewritePoa({ ...aeCreate(['https://x']), ty: RESOURCE_TYPE.CONTAINER }, CONTEXT, KEY, RELAY), undefined)
  assert.equal(rewritePoa(aeCreate(['http://10.0.0.7/plain']), CONTEXT, KEY, RELAY), undefined)
  assert.equal(rewritePoa(aeCreate([]), CONTEXT, KEY, RELAY), undefined)
})

test('relay paths: the token splits off, the rest joins onto the entity poa path (ACME appends the target ID)', () => {
  assert.deepEqual(splitRelayPath('/sa2/abc.def'), { token: 'abc.def', rest: '' })
  assert.deepEqual(splitRelayPath('/sa2/abc.def/Cdev01?x=1'), { token: 'abc.def', rest: '/Cdev01?x=1' })
  assert.equal(splitRelayPath('/sa2/'), undefined)
  assert.equal(splitRelayPath('/other/abc'), undefined)
  assert.equal(entityPath(new URL('https://h:1/notify?a=b'), ''), '/notify?a=b')
  assert.equal(entityPath(new URL('https://h:1/notify/'), '/Cdev01'), '/notify/Cdev01')
  assert.equal(entityPath(new URL('https://h:1'), '/Cdev01?x=1'), '/Cdev01?x=1')
})

test('frameworks.md §4.5: the certificate an entity serves SA2 with must carry what its Credential-ID names', () => {
  assert.deepEqual(expectedPeerOf(credentialIdForCertificate('ae-id', '//m2m.example.com/CSE-B01/Cdev01')), { flavour: 'ae-id', absoluteAeId: '//m2m.example.com/CSE-B01/Cdev01' })
  assert.equal(expectedPeerOf(credentialIdForCertificate('node-id', 'urn:dev:ops:1-2-3'))?.flavour, 'node-id')
  assert.equal(expectedPeerOf('12-dev-1@psk.example.com'), undefined, 'a PSK Credential-ID names no certificate')
  assert.equal(expectedPeerOf('not a credential id'), undefined)
})
