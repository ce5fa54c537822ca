// `m2msec enrol` and `m2msec key …` against the fake MEF: identifiers printed, never key bytes;
// the sealed credential file carries the enrolment to the key commands.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { SecretBytes, toHex } from '../../../../src/core/index.js'
import { registerEnrolCommand } from '../../../../src/cli/commands/enrol.js'
import { registerKeyCommands } from '../../../../src/cli/commands/key.js'
import { readCredentialFile } from '../../../../src/client/index.js'
import { startFakeMef } from '../../../support/fake-mef.js'

const FQDN = 'mef.m2msec.example'
const KPM_HEX = '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0'

async function run(t: TestContext, args: string[]): Promise<string> {
  const lines: string[] = []
  const log = t.mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')))
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined })
  registerEnrolCommand(program)
  registerKeyCommands(program)
  try {
    await program.parseAsync(['node', 'm2msec', ...args])
  } finally {
    log.mock.restore()
  }
  return lines.join('\n')
}

test('enrol → key register → retrieve --show-key → update → deregister, printing identifiers only', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-cli-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const kpm = new SecretBytes(Buffer.from(KPM_HEX, 'hex'))
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([['dev1', { kpm, clientId: '//sp.example.com/Cdev1' }]]) })
  const kpmFile = join(dir, 'kpm')
  writeFileSync(kpmFile, `${KPM_HEX}\n`, { mode: 0o600 })
  const cred = join(dir, 'sub', 'device.json')
  const out = await run(t, ['enrol', '--mef', mef.url, '--mef-fqdn', FQDN, '--kpm-id', 'dev1', '--kpm-file', kpmFile, '--enrolee-b-id', '//sp.example.com/CSE-B01', '--credential-file', cred, '--originator', '//sp.example.com/Cdev1'])
  const enrolment = mef.enrolments[0]!
  assert.match(out, new RegExp(`KeID +${enrolment.keId}`))
  assert.ok(!out.includes(toHex(enrolment.ke.reveal())) && !out.includes(KPM_HEX))
  assert.equal(statSync(cred).mode & 0o777, 0o600)
  const device = readCredentialFile(cred)
  assert.ok(device.ke.equals(enrolment.ke) && device.kpm!.equals(kpm))
  assert.equal((mef.requests[0]!.primitive.pc as { 'sec:mecr': { adfq: string } })['sec:mecr'].adfq, FQDN, 'adminFQDN defaults to the MEF FQDN')

  await assert.rejects(run(t, ['enrol', '--mef', mef.url, '--mef-fqdn', FQDN, '--kpm-id', 'dev1', '--kpm-file', kpmFile, '--maf-id', 'maf.example.com', '--credential-file', cred]), { code: 'M2MSEC_CLIENT_CREDENTIAL_EXISTS' })
  assert.equal(mef.enrolments.length, 1, 'an existing credential file is refused before enrolling')

  const registered = await run(t, ['key', 'register', '--credential-file', cred, '--suid', '23', '--target-id', '//sp.example.com/Cdev1', '--json'])
  const reg = JSON.parse(registered) as { keyIdentifier: string; exported: boolean }
  assert.equal(reg.exported, true)
  const serverKey = mef.keys.get(reg.keyIdentifier.split('@')[0]!)!
  assert.ok(!registered.includes(toHex(serverKey.kyv!.reveal())))
  assert.equal(readCredentialFile(cred).keys[0]!.keyIdentifier, reg.keyIdentifier)

  const keyOut = join(dir, 'key.hex')
  await assert.rejects(run(t, ['key', 'retrieve', reg.keyIdentifier, '--credential-file', cred, '--show-key']), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  const retrieved = await run(t, ['key', 'retrieve', reg.keyIdentifier, '--credential-file', cred, '--show-key', '--key-out', keyOut])
  assert.match(retrieved, new RegExp(`Key Identifier +${reg.keyIdentifier}`))
  assert.ok(!retrieved.includes(toHex(serverKey.kyv!.reveal())), 'the key goes to the file, not the terminal')
  assert.equal(readFileSync(keyOut, 'latin1').trim(), toHex(serverKey.kyv!.reveal()))
  assert.equal(statSync(keyOut).mode & 0o777, 0o600)

  const updated = await run(t, ['key', 'update', reg.keyIdentifier, '--credential-file', cred, '--lifetime', '2h'])
  assert.match(updated, /expires +\d{8}T\d{6}/)
  await run(t, ['key', 'deregister', reg.keyIdentifier, '--credential-file', cred])
  assert.equal(mef.keys.size, 0)
  assert.equal(readCredentialFile(cred).keys.length, 0)
})

test('enrol refuses inconsistent credentials, targets and an open Kpm file before dialling; a dead MEF is unreachable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-cli-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const kpmFile = join(dir, 'kpm')
  writeFileSync(kpmFile, KPM_HEX, { mode: 0o600 })
  const openKpm = join(dir, 'kpm-open')
  writeFileSync(openKpm, KPM_HEX, { mode: 0o644 })
  const base = ['enrol', '--mef', 'https://127.0.0.1:1', '--mef-fqdn', FQDN, '--credential-file', join(dir, 'c.json')]
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--maf-id', 'maf.example.com']), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--kpm-file', kpmFile, '--cert', 'x', '--maf-id', 'maf.example.com']), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--kpm-file', kpmFile]), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--kpm-file', openKpm, '--maf-id', 'maf.example.com']), { code: 'M2MSEC_CLIENT_FILE_INSECURE' })
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--kpm-file', kpmFile, '--maf-id', 'maf.example.com']), { code: 'M2MSEC_CLIENT_UNREACHABLE' })
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--kpm-file', kpmFile, '--maf-id', 'm', '--mode', 'x']), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  await assert.rejects(run(t, [...base, '--kpm-id', 'dev1', '--kpm-file', kpmFile, '--maf-id', 'm', '--lifetime', '5 days']), { code: 'commander.invalidArgument' })
})
