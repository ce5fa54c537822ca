// `m2msec audit verify` against an in-memory audit source (issue 4 "`m2msec audit verify`
// checks the chain").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Command } from 'commander'
import { registerAuditCommand } from '../../../../src/cli/commands/audit.js'
import type { AuditEventSource } from '../../../../src/cli/commands/audit.js'
import { appendAuditEvent } from '../../../../src/store/audit/chain.js'
import type { AuditChainHead, ChainedAuditEvent } from '../../../../src/store/audit/chain.js'

function chainOf(count: number): ChainedAuditEvent[] {
  const out: ChainedAuditEvent[] = []
  for (let i = 0; i < count; i++) {
    const head = out.at(-1)
    out.push(appendAuditEvent(head && { seq: head.seq, hash: head.hash }, { time: i, actor: 'mef', action: 'enrolment.create', subject: { keId: `k${i}` }, outcome: 'success' }))
  }
  return out
}

interface Run {
  readonly exitCode: number | undefined
  readonly out: string
  readonly err: string
  readonly dataDirs: string[]
  readonly closed: boolean
}

async function run(args: string[], events: ChainedAuditEvent[] | undefined, storedHead?: AuditChainHead): Promise<Run> {
  const dataDirs: string[] = []
  let closed = false
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined })
  registerAuditCommand(
    program,
    events === undefined
      ? {}
      : {
          openAuditSource: async ({ dataDir }): Promise<AuditEventSource> => {
            dataDirs.push(dataDir)
            return {
              listAuditEvents: async function* () {
                yield* events
              },
              close: async () => {
                closed = true
              },
              ...(storedHead === undefined ? {} : { storedHead: async () => storedHead }),
            }
          },
        },
  )
  const out: string[] = []
  const err: string[] = []
  const { log, error } = console
  const savedExit = process.exitCode
  console.log = (...parts: unknown[]) => void out.push(parts.join(' '))
  console.error = (...parts: unknown[]) => void err.push(parts.join(' '))
  process.exitCode = undefined
  try {
    await program.parseAsync(['node', 'm2msec', 'audit', 'verify', ...args])
    return { exitCode: process.exitCode, out: out.join('\n'), err: err.join('\n'), dataDirs, closed }
  } finally {
    console.log = log
    console.error = error
    process.exitCode = savedExit
  }
}

test('an intact log prints ok, the count and the head SEQ:HASH, exit 0', async () => {
  const chain = chainOf(5)
  const r = await run(['--data-dir', '/tmp/somewhere'], chain)
  assert.equal(r.exitCode, 0)
  assert.match(r.out, /audit chain ok: 5 events/)
  assert.ok(r.out.includes(`head 5:${chain[4]!.hash}`))
  assert.deepEqual(r.dataDirs, ['/tmp/somewhere'])
  assert.equal(r.closed, true)
})

test('an empty log is ok; the default data directory is .m2msec', async () => {
  const r = await run([], [])
  assert.equal(r.exitCode, 0)
  assert.match(r.out, /0 events/)
  assert.deepEqual(r.dataDirs, ['.m2msec'])
})

test('a broken log prints the seq and reason, exit 1', async () => {
  const chain = chainOf(5)
  const edited = chain.slice()
  edited[2] = { ...edited[2]!, actor: 'intruder' }
  const r = await run([], edited)
  assert.equal(r.exitCode, 1)
  assert.match(r.err, /broken at seq 3: hash-mismatch/)
  const gap = await run(['--json'], [...chain.slice(0, 1), ...chain.slice(2)])
  assert.equal(gap.exitCode, 1)
  assert.deepEqual(JSON.parse(gap.out), { ok: false, brokenAt: 2, reason: 'sequence-gap', count: 1 })
})

test('an anchor beyond a truncated log fails; a matching anchor passes', async () => {
  const chain = chainOf(5)
  const anchor = `5:${chain[4]!.hash}`
  assert.equal((await run(['--anchor', anchor], chain)).exitCode, 0)
  const truncated = await run(['--anchor', anchor], chain.slice(0, 4))
  assert.equal(truncated.exitCode, 1)
  assert.match(truncated.err, /broken at seq 5: truncated/)
  await assert.rejects(run(['--anchor', 'nonsense'], chain), { code: 'commander.invalidArgument' })
})

test('without a store factory the command says so and exits 2', async () => {
  const r = await run([], undefined)
  assert.equal(r.exitCode, 2)
  assert.match(r.err, /no store/)
})

test('the head recorded by the store is checked like an anchor', async () => {
  const chain = chainOf(4)
  assert.equal((await run([], chain, { seq: 4, hash: chain[3]!.hash })).exitCode, 0)
  const dropped = await run([], chain.slice(0, 3), { seq: 4, hash: chain[3]!.hash })
  assert.equal(dropped.exitCode, 1)
  assert.match(dropped.err, /broken at seq 4: truncated/)
})
