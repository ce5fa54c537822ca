// `m2msec maf …` option handling (TS-0003 8.8.2.7: a MAF Key Registration names its targets):
// `key register` refuses to run without `--target` before any connection is made, and
// `--credential-file` uses an enrolment only when its Enrolment Target is this MAF.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { Command, CommanderError } from 'commander'
import { SecretBytes } from '../../../../src/core/index.js'
import { registerMafCommands } from '../../../../src/cli/commands/maf.js'
import { writeCredentialFile, type DeviceCredential } from '../../../../src/client/index.js'

const KM_HEX = '6A6A6A6A1B1B1B1B0F0E0D0C0B0A09080706050403020100F0E0D0C0B0A09080'

/** A TCP port that counts connections and closes them: any MAF session attempt shows up here. */
async function countingPort(t: TestContext): Promise<{ url: string; connections: () => number }> {
  let count = 0
  const server: Server = createServer((socket) => (count++, socket.destroy()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return { url: `https://127.0.0.1:${address.port}`, connections: () => count }
}

async function run(args: readonly string[]): Promise<void> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
  registerMafCommands(program)
  await program.parseAsync(['node', 'm2msec', 'maf', ...args])
}

function files(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-cli-maf-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const km = join(dir, 'km.hex')
  writeFileSync(km, `${KM_HEX}\n`, { mode: 0o600 })
  return dir
}

test('maf key register without --target is a usage error and opens no connection (8.8.2.7 target list)', async (t) => {
  const maf = await countingPort(t)
  const dir = files(t)
  const common = ['--maf-url', maf.url, '--maf-fqdn', 'maf.example.com', '--psk-identity', `${'AB'.repeat(16)}@maf.example.com`, '--psk-file', join(dir, 'km.hex'), '--admin-fqdn', 'm2m.example.com']
  await assert.rejects(run(['key', 'register', ...common, '--key-out', join(dir, 'kc')]), (e: unknown) => e instanceof CommanderError && e.code === 'commander.missingMandatoryOptionValue' && e.message.includes('--target'))
  assert.equal(maf.connections(), 0)

  // With one --target the command goes on to the MAF (here a port that hangs up).
  await assert.rejects(run(['key', 'register', ...common, '--target', '//m2m.example.com/CSE-B01', '--key-out', join(dir, 'kc')]), { name: 'ClientError' })
  assert.equal(maf.connections(), 1)
})

test('maf --credential-file refuses an enrolment for another target, and a second credential source, before connecting', async (t) => {
  const maf = await countingPort(t)
  const dir = files(t)
  const credentialFile = join(dir, 'device.json')
  const device: DeviceCredential = {
    keId: `${'C4'.repeat(16)}@mef.example.com`, mefUrl: 'https://mef.example.com', mefFqdn: 'mef.example.com', mode: 'usage-constrained',
    target: { enroleeBId: '//m2m.example.com/CSE-B01' }, suid: 22,
    registration: { regId: 'mecr-1', resourceName: 'mecr-1', clientId: '//m2m.example.com/Sdev01', adminFqdn: 'm2m.example.com', expiry: new Date(Date.now() + 86_400_000).toISOString() },
    handshake: { kind: 'psk', kpmId: 'dev@mef.example.com' },
    ke: new SecretBytes(new Uint8Array(32).fill(0x5c)), targetKey: new SecretBytes(new Uint8Array(32).fill(0x3d)), keys: [],
  }
  writeCredentialFile(credentialFile, device)
  const base = ['register', '--maf-url', maf.url, '--maf-fqdn', 'maf.example.com', '--admin-fqdn', 'm2m.example.com']
  await assert.rejects(run([...base, '--credential-file', credentialFile]), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'M2MSEC_CLIENT_INPUT_INVALID' && e.message.includes('not for the MAF maf.example.com'))
  await assert.rejects(run([...base, '--credential-file', credentialFile, '--psk-file', join(dir, 'km.hex')]), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  assert.equal(maf.connections(), 0)
})
