// `m2msec enrolee …` and `m2msec enrolments list` (issue 5 "Operator side"), run through a
// throwaway commander program built from the register functions (not yet wired into main.ts),
// against a real data directory. No Kpm byte may appear in any output or database file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { registerEnroleeCommands } from '../../../../src/cli/commands/enrolee.js'
import { registerEnrolmentCommands } from '../../../../src/cli/commands/enrolments.js'
import { SecretBytes } from '../../../../src/core/index.js'
import { openDataDirectoryStore } from '../../../../src/store/index.js'
import { assertNoKey } from '../../services/mef/operator/operator-fixtures.js'

interface Run { readonly exitCode: number | undefined; readonly out: string; readonly err: string; readonly error?: { code?: string } }

async function run(args: string[], tty = false): Promise<Run & { progress: string }> {
  const progress: string[] = []
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
  const deps = { progress: { isTTY: tty, write: (s: string) => { progress.push(s); return true } } }
  registerEnroleeCommands(program, deps)
  registerEnrolmentCommands(program, deps)
  const out: string[] = []
  const err: string[] = []
  const { log, error } = console
  const saved = process.exitCode
  console.log = (...parts: unknown[]) => void out.push(parts.join(' '))
  console.error = (...parts: unknown[]) => void err.push(parts.join(' '))
  process.exitCode = undefined
  let failure: { code?: string } | undefined
  try {
    await program.parseAsync(['node', 'm2msec', ...args])
  } catch (e) {
    failure = e as { code?: string }
  } finally {
    console.log = log
    console.error = error
  }
  const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode)
  process.exitCode = saved
  return { exitCode, out: out.join('\n'), err: err.join('\n'), progress: progress.join(''), ...(failure === undefined ? {} : { error: failure }) }
}

test('enrolee add/list/show/revoke, import with rejects, enrolments list — and no Kpm anywhere', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-cli-enrolee-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const dataDir = join(dir, 'data')
  const keys: string[] = []
  const outputs: string[] = []
  const kpm1 = randomBytes(32).toString('hex')
  keys.push(kpm1)
  const kpmFile = join(dir, 'kpm1.txt')
  await writeFile(kpmFile, `${kpm1}\n`)

  // reading commands need an existing data directory
  const missing = await run(['enrolee', 'list', '--data-dir', dataDir])
  assert.equal(missing.error?.code, 'M2MSEC_STORE_UNAVAILABLE')

  const add = await run(['enrolee', 'add', '--data-dir', dataDir, '--kpm-id', 'dev-1@mef.example.com', '--kpm-file', kpmFile,
    '--expiry', '30d', '--enrolee-id', '//sp.example.com/Sdev1', '--target', '21:maf.example.com', '--target', '22://sp.example.com/CSE-B01', '--json'])
  assert.equal(add.error, undefined, JSON.stringify(add))
  const added = JSON.parse(add.out) as { enroleeRef: string; credentialIdentity: string }
  assert.equal(added.credentialIdentity, 'dev-1@mef.example.com')
  outputs.push(add.out, add.err)

  const kpm2 = randomBytes(24).toString('base64')
  keys.push(Buffer.from(kpm2, 'base64').toString('hex'))
  const inline = await run(['enrolee', 'add', '--data-dir', dataDir, '--kpm-id', 'dev-2@mef.example.com', '--kpm', kpm2, '--expiry', 'PT24H'])
  assert.equal(inline.error, undefined)
  assert.match(inline.err, /shell history/)
  outputs.push(inline.out, inline.err)

  const weak = await run(['enrolee', 'add', '--data-dir', dataDir, '--kpm-id', 'dev-3@mef.example.com', '--kpm', '00'.repeat(16), '--expiry', '1d'])
  assert.equal(weak.error?.code, 'M2MSEC_ENROLEE_KPM_WEAK')
  const dup = await run(['enrolee', 'add', '--data-dir', dataDir, '--kpm-id', 'dev-1@mef.example.com', '--kpm-file', kpmFile, '--expiry', '1d'])
  assert.equal(dup.error?.code, 'M2MSEC_ENROLEE_EXISTS')

  const csv = ['kpm_id,kpm,enrolment_expiry,targets']
  for (let i = 10; i < 20; i++) {
    const k = randomBytes(16).toString('hex')
    keys.push(k)
    csv.push(`dev-${i}@mef.example.com,${i === 15 ? 'short' : k},${i === 17 ? 'soon' : '7d'},21:maf.example.com`)
  }
  const csvFile = join(dir, 'enrolees.csv')
  await writeFile(csvFile, csv.join('\n'))
  const imp = await run(['enrolee', 'import', csvFile, '--data-dir', dataDir], true)
  assert.equal(imp.exitCode, 1)
  assert.match(imp.out, /imported 8 of 10 rows; rejected 2/)
  assert.match(imp.err, /LINE\s+ROW\s+CODE\s+PROBLEM/)
  assert.match(imp.err, /\n7\s+6\s+M2MSEC_ENROLEE_KPM_WEAK/)
  assert.match(imp.err, /\n9\s+8\s+M2MSEC_ENROLEE_INVALID/)
  assert.match(imp.progress, /\[#+\] 10\/10 100% imported 8 rejected 2/)
  outputs.push(imp.out, imp.err, imp.progress)

  const list = await run(['enrolee', 'list', '--data-dir', dataDir, '--json'])
  assert.equal((JSON.parse(list.out) as { items: unknown[] }).items.length, 10)
  const table = await run(['enrolee', 'list', '--data-dir', dataDir, '--limit', '4'])
  assert.match(table.out, /^REF\s+STATUS\s+KIND\s+IDENTITY/)
  assert.match(table.out, /more: --cursor enr/)
  outputs.push(list.out, table.out)

  // an enrolment made by the MEF, to be listed and revoked
  const keId = `${'AB'.repeat(16)}@mef.example.com`
  const store = await openDataDirectoryStore({ dataDir, create: false })
  const ke = randomBytes(32).toString('hex')
  keys.push(ke)
  await store.transaction((tx) => tx.enrolments.create({ keId, enroleeRef: added.enroleeRef, ke: new SecretBytes(Buffer.from(ke, 'hex')), expiresAt: new Date(Date.now() + 3_600_000) }))
  await store.close()

  const enrolments = await run(['enrolments', 'list', '--data-dir', dataDir, '--json'])
  const page = JSON.parse(enrolments.out) as { items: { keId: string; expiresAt: string }[] }
  assert.deepEqual(page.items.map((e) => e.keId), [keId])
  assert.ok(!('ke' in (page.items[0] ?? {})))
  const enrolmentsTable = await run(['enrolments', 'list', '--data-dir', dataDir, '--enrolee', 'dev-1@mef.example.com'])
  assert.match(enrolmentsTable.out, /KEID\s+ENROLEE\s+CREATED\s+EXPIRES/)
  assert.ok(enrolmentsTable.out.includes(keId))
  const show = await run(['enrolee', 'show', 'dev-1@mef.example.com', '--data-dir', dataDir])
  assert.match(show.out, /KpmID\s+dev-1@mef.example.com/)
  assert.match(show.out, /SUID 21\s+maf.example.com/)
  outputs.push(enrolments.out, enrolmentsTable.out, show.out)

  const revoke = await run(['enrolee', 'revoke', added.enroleeRef, '--data-dir', dataDir])
  assert.match(revoke.out, /revoked; 1 enrolment\(s\) deleted/)
  const after = await run(['enrolments', 'list', '--data-dir', dataDir, '--json'])
  assert.deepEqual((JSON.parse(after.out) as { items: unknown[] }).items, [])
  const unknown = await run(['enrolee', 'show', 'nobody', '--data-dir', dataDir])
  assert.equal(unknown.error?.code, 'M2MSEC_ENROLEE_NOT_FOUND')
  outputs.push(revoke.out, after.out, weak.err, dup.err)

  const files = await Promise.all((await readdir(dataDir)).filter((f) => f.startsWith('m2msec.db')).map((f) => readFile(join(dataDir, f))))
  assert.ok(files.length >= 1)
  assertNoKey([...outputs, ...files], keys)
})
