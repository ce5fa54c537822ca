import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import test from 'node:test'
import { createSecureHttpServer, SECURE_IDLE_TIMEOUT_MS } from '../../../../src/transport/http/secure-http.js'
import type { SecureListener } from '../../../../src/transport/tls/secure-listener.js'

/** Only the events createSecureHttpServer subscribes to; no socket is ever accepted here. */
function fakeListener(): SecureListener<unknown> {
  return new EventEmitter() as unknown as SecureListener<unknown>
}

test('an authenticated connection stays open between requests for two minutes, not Node\'s 5 s', () => {
  const server = createSecureHttpServer(fakeListener(), () => undefined)
  assert.equal(SECURE_IDLE_TIMEOUT_MS, 120_000)
  assert.equal(server.keepAliveTimeout, SECURE_IDLE_TIMEOUT_MS)
})

test('the idle bound can be set per server', () => {
  const server = createSecureHttpServer(fakeListener(), () => undefined, { idleTimeoutMs: 30_000 })
  assert.equal(server.keepAliveTimeout, 30_000)
})

test('closing the server stops it from taking connections of the listener', () => {
  const listener = fakeListener() as unknown as EventEmitter
  const server = createSecureHttpServer(listener as unknown as SecureListener<unknown>, () => undefined)
  assert.equal(listener.listenerCount('connection'), 1)
  server.emit('close')
  assert.equal(listener.listenerCount('connection'), 0)
})
