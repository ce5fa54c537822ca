// The CLI's operator commands against a running admin API (issue 8 "The CLI's operator commands
// work against it too (`--server`)"): a real `m2msec up`, then the built CLI as an operator runs
// it — enrolee add/list/import, rule add/list/remove, psk add/revoke, enrolments list, audit list
// — with `--server` and the token printed once by up, or with the operator certificate of the data
// directory. The results are checked through the local listing of the same data directory; a wrong
// token exits 1 with M2MSEC_ADMIN_UNAUTHENTICATED; no Kpm, Kpsa or token appears in any output.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fromHex } from '../../src/core/index.js'
import { assertNoSecrets, runCli, type CliResult } from '../support/mef-process.js'
import { startUp } from '../support/up-process.js'

const KPM_HEX = '5C0FA3D19E7B42A8C61D0E93F2B74A56D8E1C3A0B9F6427E1D5C8A3B0F9E6D21'
const KPM2_HEX = '9A41C7E0D35B8F26A1E4C9B07D3F52E8C6A0B1D94E7F3C25A8D06B9E1F4C7A30'
const KPSA_HEX = 'C4E9A17B3D05F82E6A9C1B4D7E30F58A2C6E9B1D4F7A03C5E8B2D6F9A1C4E7B0'
const KPM_ID = '0000000000000000000000000000C11A@mef.m2msec.localhost'
const KPM_ID2 = '0000000000000000000000000000C11B@mef.m2msec.localhost'
const KPSA_ID = 'cli-server@psk.m2msec.localhost'

test('the operator commands work against a running up with --server: token file or operator certificate, same output, wrong token refused, no secret printed', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-cli-server-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir)
  const token = up.adminToken
  assert.ok(token !== undefined, `up printed the admin token; output:\n${up.stdout()}`)
  const admin = up.endpoints.roles.admin
  assert.ok(admin !== undefined, 'endpoints.json lists the admin role')
  const tokenFile = join(root, 'token')
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 })
  const kpmFile = join(root, 'kpm')
  writeFileSync(kpmFile, KPM_HEX)
  const kpsaFile = join(root, 'kpsa')
  writeFileSync(kpsaFile, KPSA_HEX)
  const csvFile = join(root, 'enrolees.csv')
  writeFileSync(csvFile, `kpm_id,kpm,enrolment_expiry,targets\n${KPM_ID2},${KPM2_HEX},7d,21:maf.m2msec.localhost\n0000000000000000000000000000C11C@mef.m2msec.localhost,${KPM2_HEX},soon,\n`)
  // An empty data directory: CA and FQDN must come from the options, nothing local is touched.
  const elsewhere = join(root, 'elsewhere')
  mkdirSync(elsewhere)

  const results: CliResult[] = []
  const cli = async (args: readonly string[], expected = 0): Promise<CliResult> => {
    const result = await runCli(args, 30_000)
    results.push(result)
    assert.equal(result.code, expected, `m2msec ${args.join(' ')} exit status; output:\n${result.stdout}${result.stderr}`)
    return result
  }
  const remote = ['--server', admin.url, '--data-dir', dataDir, '--token-file', tokenFile]

  const added = await cli(['enrolee', 'add', ...remote, '--kpm-id', KPM_ID, '--kpm-file', kpmFile, '--expiry', '30d', '--target', '21:maf.m2msec.localhost', '--json'])
  const view = JSON.parse(added.stdout) as { enroleeRef: string; credentialIdentity: string; createdAt: string }
  assert.equal(view.credentialIdentity, KPM_ID)
  assert.ok(!Number.isNaN(Date.parse(view.createdAt)))

  const listed = await cli(['enrolee', 'list', ...remote, '--json'])
  assert.deepEqual((JSON.parse(listed.stdout) as { items: { enroleeRef: string }[] }).items.map((e) => e.enroleeRef), [view.enroleeRef])
  // The operator certificate of the data directory is a credential too; explicit --ca/--server-fqdn work from anywhere.
  const byCertificate = await cli(['enrolee', 'list', '--server', admin.url, '--data-dir', dataDir])
  assert.match(byCertificate.stdout, new RegExp(`^${view.enroleeRef}\\s+active\\s+psk\\s+${KPM_ID}`, 'm'))
  const explicit = await cli(['enrolee', 'show', KPM_ID, '--server', admin.url, '--data-dir', elsewhere, '--ca', up.endpoints.caCertificate, '--server-fqdn', admin.fqdn, '--token-file', tokenFile])
  assert.match(explicit.stdout, /^KpmID\s+0+C11A@mef\.m2msec\.localhost$/m)

  const imported = await cli(['enrolee', 'import', csvFile, ...remote], 1)
  assert.match(imported.stdout, /imported 1 of 2 rows; rejected 1/)
  assert.match(imported.stderr, /M2MSEC_ENROLEE_INVALID/)

  await cli(['rule', 'add', 'cli-rule', ...remote, '--cred-id', '12-*@psk.m2msec.localhost', '--app-id', 'Ncli*', '--ae', 'C*'])
  const rules = await cli(['rule', 'list', ...remote, '--json'])
  assert.deepEqual((JSON.parse(rules.stdout) as { ruleId: string; allowedAppIds: string[] }[]).map((r) => [r.ruleId, r.allowedAppIds]), [['cli-rule', ['Ncli*']]])

  const kpsa = await cli(['psk', 'add', ...remote, '--identity', KPSA_ID, '--key-file', kpsaFile, '--bind', '//m2msec.localhost/in-cse/Cclidev'])
  assert.deepEqual(JSON.parse(kpsa.stdout), { identity: KPSA_ID, credentialId: `12-${KPSA_ID}`, bound: ['//m2msec.localhost/in-cse/Cclidev'] })
  await cli(['psk', 'revoke', ...remote, '--identity', KPSA_ID])
  const kpsaList = await cli(['psk', 'list', ...remote, '--json'])
  assert.deepEqual((JSON.parse(kpsaList.stdout) as { items: { identity: string; status: string }[] }).items.map((k) => [k.identity, k.status]), [[KPSA_ID, 'revoked']])

  const enrolments = await cli(['enrolments', 'list', ...remote])
  assert.match(enrolments.stdout, /^KEID\s+ENROLEE\s+CREATED\s+EXPIRES$/m)

  // The writes are in the data directory: the local listing (no --server) sees them.
  const local = await cli(['enrolee', 'list', '--data-dir', dataDir, '--json'])
  assert.deepEqual((JSON.parse(local.stdout) as { items: { credentialIdentity: string }[] }).items.map((e) => e.credentialIdentity).sort(), [KPM_ID, KPM_ID2].sort())
  const localRules = await cli(['rule', 'list', '--data-dir', dataDir, '--json'])
  assert.equal((JSON.parse(localRules.stdout) as unknown[]).length, 1)
  await cli(['rule', 'remove', 'cli-rule', ...remote])
  assert.deepEqual(JSON.parse((await cli(['rule', 'list', '--data-dir', dataDir, '--json'])).stdout), [])

  // The audit chain names the admin actor on the MEF's own events (no duplicate admin.* event).
  const audit = await cli(['audit', 'list', ...remote, '--json', '--limit', '1000'])
  const events = JSON.parse(audit.stdout) as { actor: string; action: string }[]
  assert.ok(events.some((e) => e.actor === 'admin:token' && e.action === 'enrolee.add'), JSON.stringify(events))
  assert.ok(events.some((e) => e.actor === 'admin:token' && e.action === 'kpsa.revoke'))
  assert.ok(!events.some((e) => e.action.startsWith('admin.enrolee')))
  const verified = await cli(['audit', 'verify', ...remote])
  assert.match(verified.stdout, /^audit chain ok: \d+ events$/m)

  const wrongToken = join(root, 'wrong-token')
  writeFileSync(wrongToken, `m2a_${'B'.repeat(43)}\n`)
  const refused = await cli(['enrolee', 'list', '--server', admin.url, '--data-dir', dataDir, '--token-file', wrongToken], 1)
  assert.match(refused.stderr, /\[M2MSEC_ADMIN_UNAUTHENTICATED\]/)

  assert.equal(await up.stop(), 0)
  const outputs = [...results.flatMap((r) => [r.stdout, r.stderr]), up.output()]
  assertNoSecrets(outputs, [dataDir], [fromHex(KPM_HEX), fromHex(KPM2_HEX), fromHex(KPSA_HEX)])
  assertNoSecrets(results.flatMap((r) => [r.stdout, r.stderr]), [], [Buffer.from(token.slice(4), 'base64url')])
})
