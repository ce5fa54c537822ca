import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { coalescingFlusher, walFlusher } from '../../../src/store/wal-flush.js'

function deferredSyncs() {
  const started: { resolve: () => void; reject: (e: Error) => void }[] = []
  const sync = () => new Promise<void>((resolve, reject) => started.push({ resolve, reject }))
  return { started, sync }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

test('WAL flush: at most one sync in flight; callers arriving meanwhile share the next one', async () => {
  const { started, sync } = deferredSyncs()
  const flusher = coalescingFlusher(sync)
  const settled: string[] = []
  const a = flusher.flush().then(() => settled.push('a'))
  const b = flusher.flush().then(() => settled.push('b'))
  const c = flusher.flush().then(() => settled.push('c'))
  assert.equal(started.length, 1)
  started[0]!.resolve()
  await a
  await turn()
  assert.deepEqual(settled, ['a'], 'b and c asked while the first sync ran: it may predate their writes')
  assert.equal(started.length, 2, 'one more sync for both')
  started[1]!.resolve()
  await Promise.all([b, c])
  assert.deepEqual(settled.sort(), ['a', 'b', 'c'])
})

test('WAL flush: a failed sync fails its callers and the next flush syncs again', async () => {
  const { started, sync } = deferredSyncs()
  const flusher = coalescingFlusher(sync)
  const a = flusher.flush()
  const b = flusher.flush()
  started[0]!.reject(new Error('EIO'))
  await assert.rejects(a, /EIO/)
  await turn()
  started[1]!.resolve()
  await b
  const c = flusher.flush()
  assert.equal(started.length, 3)
  started[2]!.resolve()
  await c
})

test('WAL flush: close waits for the flush under way before releasing', async () => {
  const { started, sync } = deferredSyncs()
  let released = false
  const flusher = coalescingFlusher(sync, async () => {
    released = true
  })
  const a = flusher.flush()
  const closing = flusher.close()
  await turn()
  assert.equal(released, false)
  started[0]!.resolve()
  await Promise.all([a, closing])
  assert.equal(released, true)
})

test('WAL flush of a real file: no WAL yet means nothing to flush; once it exists it is opened and fdatasync\'ed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-wal-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'db.sqlite')
  const flusher = walFlusher(path)
  await flusher.flush()
  await writeFile(`${path}-wal`, 'frames')
  await flusher.flush()
  await flusher.close()
  await assert.rejects(walFlusher(join(`${path}-wal`, 'under-a-file.sqlite')).flush(), { code: 'ENOTDIR' }, 'any other failure is reported')
})
