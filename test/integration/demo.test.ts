// `m2msec demo` and `m2msec up --demo` with real processes (issue 8): the built CLI's `up` on a
// fresh data directory, then `demo` as a separate process against its endpoints.json — PPSK
// enrolment, MAF client and key registration, SA1 with the MAF-based SAEF, AE registration, data
// and a notification over SA2 — every step ok and a summary table, exit 0. Then the log-capture
// check of issue 8 "Done means": every key the data directory holds (each sealed column of the
// store unsealed with the KEK, the KEK itself, the role private keys, the demo device's Kpm file,
// its sealed credential file opened with the device KEK, and that KEK) is absent, in hex of either
// case, base64 and base64url, from everything up and demo printed and from any log file — with a
// negative control showing the check finds a planted key in each form. A demo with the wrong
// target key mode fails at MAF client registration and shows the rest skipped (exit 1); without a
// running up it exits 1 naming endpoints.json; `up --demo` runs the same walk and keeps running.
import assert from 'node:assert/strict'
import { createPrivateKey } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fromHex } from '../../src/core/index.js'
import { deviceKekPath, readCredentialFile } from '../../src/client/index.js'
import { createAesGcmSealer, loadDataDirectoryKeyring, openDataDirectoryStore } from '../../src/store/index.js'
import { assertNoSecrets, runCli, type CliResult } from '../support/mef-process.js'
import { KEK_VARIABLES, cliEnv, startUp } from '../support/up-process.js'

const STEPS = ['provision', 'enrol', 'maf-register', 'maf-key', 'sa1', 'ae', 'data', 'notify']
/** Up's children, and the keyring read here, use the data directory's KEK files, not the parent's. */
const UNSET = [...KEK_VARIABLES, 'M2MSEC_DEVICE_KEK']

function scratch(t: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-demo-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  return root
}

function demo(dataDir: string, extra: readonly string[] = []): Promise<CliResult> {
  return runCli(['demo', '--data-dir', dataDir, ...extra], 60_000)
}

interface DemoJson {
  readonly ok: boolean
  readonly device: string
  readonly steps: readonly { readonly name: string; readonly status: string; readonly durationMs: number; readonly detail?: string; readonly code?: string }[]
}

/** The JSON objects among the lines of `text` (up's event or log lines). */
function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>]
    } catch {
      return []
    }
  })
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** The EC private scalar of a PEM private key (what a leaked key would look like). */
function privateScalar(pem: string): Uint8Array {
  const d = createPrivateKey(pem).export({ format: 'jwk' }).d
  assert.ok(d !== undefined)
  return new Uint8Array(Buffer.from(d, 'base64url'))
}

/**
 * Every key the data directory holds, by where it was found: each sealed column of the store
 * opened with the data directory's KEK, the KEK(s), the role and CA private keys, and each
 * device's Kpm file, credential file (opened with its device KEK) and device KEK.
 */
async function keysOf(dataDir: string): Promise<Map<string, Uint8Array[]>> {
  const found = new Map<string, Uint8Array[]>()
  const add = (where: string, key: Uint8Array): void => void found.set(where, [...(found.get(where) ?? []), new Uint8Array(key)])
  const env = cliEnv(UNSET)
  const keyring = loadDataDirectoryKeyring({ dataDir, create: false, env })
  for (const kek of keyring.keks) add('store KEK', kek.key.reveal())
  const sealer = createAesGcmSealer(keyring.keks, keyring.activeKekId)
  const store = await openDataDirectoryStore({ dataDir, create: false, env })
  try {
    await store.transaction(async (tx) => {
      for await (const entry of tx.sealedColumns.listSealed()) add(`sealed ${entry.context.table}`, sealer.open(entry.blob, entry.context).reveal())
    })
  } finally {
    await store.close()
  }
  for (const file of readdirSync(join(dataDir, 'pki')).filter((n) => n.endsWith('.key'))) add('role private keys', privateScalar(readFileSync(join(dataDir, 'pki', file), 'utf8')))
  for (const device of readdirSync(join(dataDir, 'devices'))) {
    const dir = join(dataDir, 'devices', device)
    add('Kpm files', fromHex(readFileSync(join(dir, 'kpm.hex'), 'utf8').trim()))
    const credentialFile = join(dir, 'credential.json')
    add('device KEKs', new Uint8Array(readFileSync(deviceKekPath(credentialFile))))
    const credential = readCredentialFile(credentialFile, { env: {} })
    for (const key of [credential.ke, credential.targetKey, ...(credential.kpm ? [credential.kpm] : []), ...credential.keys.map((k) => k.key)]) add('credential files', key.reveal())
  }
  return found
}

/** What up and demo printed, plus every log file in the data directory. */
function capturedTexts(dataDir: string, outputs: readonly string[]): string[] {
  const logs = filesUnder(dataDir).filter((f) => /\.log(\.\d+)?$/.test(f)).map((f) => readFileSync(f, 'utf8'))
  return [...outputs, ...logs]
}

test('m2msec demo walks a device through a running up (enrolment, MAF keys, MAF-based SAEF, AE, data, notification over SA2) and no key the data directory holds appears in any output or log', async (t) => {
  const root = scratch(t)
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir, { unset: UNSET })

  const human = await demo(dataDir)
  assert.equal(human.code, 0, `demo failed:\n${human.stdout}${human.stderr}\nup output:\n${up.output()}`)
  const lines = human.stdout.split('\n')
  STEPS.forEach((name, i) => assert.ok(lines.some((l) => l.startsWith(`[${i + 1}/${STEPS.length}] `) && /: ok \(\d+(\.\d+)? m?s\)/.test(l)), `progress line ${i + 1} (${name}) in:\n${human.stdout}`))
  for (const name of STEPS) assert.match(human.stdout, new RegExp(`^${name}\\s+ok\\s+\\d`, 'm'), `summary row for ${name}`)
  assert.match(human.stdout, /^STEP\s+STATUS\s+TIME\s+WHAT$/m)
  assert.match(human.stdout, /total .*: 8 ok, 0 FAILED, 0 skipped\ndemo passed/)

  // A second run, as JSON: a fresh device each time, and the identifiers it reports are real ones.
  const json = await demo(dataDir, ['--json'])
  assert.equal(json.code, 0, json.stdout + json.stderr)
  const outcome = JSON.parse(json.stdout) as DemoJson
  assert.equal(outcome.ok, true)
  assert.deepEqual(outcome.steps.map((s) => [s.name, s.status]), STEPS.map((s) => [s, 'ok']))
  assert.match(outcome.steps[3]!.detail ?? '', /Key Identifier [0-9A-F]{32}@maf\.m2msec\.localhost for \/\/m2msec\.localhost\/in-cse/)
  assert.match(outcome.steps[7]!.detail ?? '', /notification from \/in-cse delivered to Sdemo[0-9a-f]{6} over SA2/)
  assert.ok(jsonLines(up.output()).some((e) => e['event'] === 'sa2-relayed' && String(e['rsc']) === '2000'), `the gateway relayed the notification over SA2:\n${up.output()}`)
  assert.equal(readdirSync(join(dataDir, 'devices')).length, 2, 'one device per run')

  assert.equal(await up.stop(), 0, `up exit status; output:\n${up.output()}`)
  assert.equal(existsSync(join(dataDir, 'endpoints.json')), false)

  const keys = await keysOf(dataDir)
  // The walk left its keys where they belong: Kpm and Km/Kpsa rows, Ke, Kc registrations, the SA2 token key, CA key.
  for (const where of ['store KEK', 'sealed psk_credentials', 'sealed enrolments', 'sealed key_registrations', 'sealed service_keys', 'role private keys', 'Kpm files', 'device KEKs', 'credential files']) {
    assert.ok((keys.get(where)?.length ?? 0) > 0, `no key found in ${where}: ${[...keys.keys()].join(', ')}`)
  }
  const secrets = [...keys.values()].flat()
  const texts = capturedTexts(dataDir, [up.output(), human.stdout, human.stderr, json.stdout, json.stderr])
  assertNoSecrets(texts, [dataDir], secrets)

  // Negative control: the same check finds a key planted in each textual form.
  const kc = keys.get('sealed key_registrations')![0]!
  const planted = Buffer.from(kc)
  for (const form of [planted.toString('hex'), planted.toString('hex').toUpperCase(), planted.toString('base64'), planted.toString('base64url')]) {
    assert.throws(() => assertNoSecrets([...texts, `{"level":30,"msg":"oops ${form}"}`], [], secrets), /a secret \(32 bytes\) appears in captured output/)
  }
})

test('m2msec demo with another target key mode than up fails at MAF client registration, shows the later steps skipped and exits 1', async (t) => {
  const root = scratch(t)
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir, { unset: UNSET })
  const failed = await demo(dataDir, ['--mode', 'seed-000', '--json'])
  assert.equal(failed.code, 1, failed.stdout + failed.stderr)
  const outcome = JSON.parse(failed.stdout) as DemoJson
  assert.equal(outcome.ok, false)
  assert.deepEqual(outcome.steps.map((s) => s.status), ['ok', 'ok', 'failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped'], failed.stdout)
  assert.match(outcome.steps[2]!.code ?? '', /^M2MSEC_/, 'the failure names its error code')

  const human = await demo(dataDir, ['--mode', 'seed-000'])
  assert.equal(human.code, 1)
  assert.match(human.stdout, /^maf-key\s+skipped\s+-/m)
  assert.match(human.stdout, /total .*: 2 ok, 1 FAILED, 5 skipped\ndemo FAILED$/m)
  assert.equal(await up.stop(), 0)
})

test('m2msec demo without a running up exits 1 and names the missing endpoints.json', async (t) => {
  const root = scratch(t)
  const result = await demo(join(root, 'nothing'))
  assert.equal(result.code, 1, result.stdout + result.stderr)
  assert.match(result.stderr, /no running m2msec up: .*endpoints\.json does not exist.*\[M2MSEC_DEMO_UNAVAILABLE\]/)
})

test('m2msec demo without --data-dir looks where the configuration file puts up\'s data directory', async (t) => {
  const root = scratch(t)
  const configured = join(root, 'from-config')
  const file = join(root, 'm2msec.yaml')
  writeFileSync(file, `dataDir: ${JSON.stringify(configured)}\n`)
  const result = await runCli(['demo', '--config', file], 60_000)
  assert.equal(result.code, 1, result.stdout + result.stderr)
  assert.ok(result.stderr.includes(join(configured, 'endpoints.json')), result.stderr)
  assert.match(result.stderr, /\[M2MSEC_DEMO_UNAVAILABLE\]/)
})

test('m2msec up --demo runs the demo against itself once every role listens and keeps running', async (t) => {
  const root = scratch(t)
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir, { args: ['--demo'], unset: UNSET })
  await up.waitFor('demo passed')
  assert.ok(up.stdout().indexOf('Stop with Ctrl-C.') < up.stdout().indexOf('m2msec demo: device demo-'), 'the demo starts after the summary')
  for (const name of STEPS) assert.match(up.stdout(), new RegExp(`^${name}\\s+ok\\s+\\d`, 'm'))
  assert.equal(up.child.exitCode, null, 'up keeps running after the demo')
  assert.ok(existsSync(join(dataDir, 'endpoints.json')))
  // The running up serves another demo from outside.
  const again = await demo(dataDir, ['--json'])
  assert.equal(again.code, 0, again.stdout + again.stderr)
  assert.equal(await up.stop(), 0)
})
