import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'node:test'
import { readyLine, serveOnStore, serveUntilStopped, stopSignal, type ListeningService } from '../../../src/cli/serve-lifecycle.js'
import type { Store } from '../../../src/store/index.js'

/** A service that records when it was closed, in `events`. */
function fakeService(events: string[]): ListeningService {
  return { host: '127.0.0.1', port: 4321, close: async () => void events.push('service closed') }
}

/** `store` with its close() recorded in `events`. */
function recordClose(store: Store, events: string[]): void {
  const close = store.close.bind(store)
  Object.assign(store, { close: async () => (events.push('store closed'), close()) })
}

function scratch(t: test.TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-serve-lifecycle-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('serve ready line (STYLE.md §7): role, host and port first, then the role\'s own fields', () => {
  const line = readyLine('gateway', fakeService([]), { fqdn: 'gw.example.com', saefs: ['psk'] })
  assert.equal(line, '{"role":"gateway","host":"127.0.0.1","port":4321,"fqdn":"gw.example.com","saefs":["psk"]}')
  assert.equal(readyLine('cse', fakeService([])), '{"role":"cse","host":"127.0.0.1","port":4321}')
})

test('stopSignal resolves on SIGTERM and on SIGINT and leaves no listener behind', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const before = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]
    const stopped = stopSignal()
    assert.deepEqual([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')], before.map((n) => n + 1))
    process.emit(signal)
    await stopped
    assert.deepEqual([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')], before)
  }
})

test('serveUntilStopped prints the ready lines, and closes the service only once a stop signal came', async (t) => {
  const printed = t.mock.method(console, 'log', () => undefined)
  const events: string[] = []
  const serving = serveUntilStopped(fakeService(events), ['{"role":"cse"}', 'second line'])
  assert.deepEqual(printed.mock.calls.map((c) => c.arguments), [['{"role":"cse"}'], ['second line']])
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(events, [], 'still serving')
  process.emit('SIGTERM')
  await serving
  assert.deepEqual(events, ['service closed'])
})

test('serveOnStore starts the role on the data directory\'s store and closes the service before the store on SIGINT', async (t) => {
  const printed = t.mock.method(console, 'log', () => undefined)
  const events: string[] = []
  const serving = serveOnStore(scratch(t), async (store) => (recordClose(store, events), fakeService(events)), (service) => [readyLine('mef', service)])
  while (printed.mock.callCount() === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  assert.equal(printed.mock.calls[0]?.arguments[0], '{"role":"mef","host":"127.0.0.1","port":4321}')
  process.emit('SIGINT')
  await serving
  assert.deepEqual(events, ['service closed', 'store closed'])
})

test('serveOnStore closes the store and rethrows when the role fails to start, printing nothing', async (t) => {
  const printed = t.mock.method(console, 'log', () => undefined)
  const events: string[] = []
  const failure = new Error('port in use')
  await assert.rejects(serveOnStore(scratch(t), async (store) => {
    recordClose(store, events)
    throw failure
  }, () => ['never']), (error) => error === failure)
  assert.deepEqual(events, ['store closed'])
  assert.equal(printed.mock.callCount(), 0)
})
