// `m2msec up` in front of an outside CSE (issue 8, D-178): `m2msec serve cse` runs apart, with its
// own SP, CSE-ID and CSEBase name, as the CSE a production user already has; `up` reads
// `gateway.upstream` from its configuration file. The cse role does not start; endpoints.json and
// the printed steps name the outside CSE; the gateway's development certificate carries the
// outside CSE-ID as its URI (D-135); an AE registered through the gateway with a provisioned Kpsa
// lands in the outside CSE; and a device that enrolled for the gateway (SUID 22) gets in because
// the MEF knows the gateway as an Enrolment Target by that CSE-ID (the gateway fetches the Kpsa
// with `fr` = it). Ends with no key bytes in any output or database file.
import assert from 'node:assert/strict'
import { X509Certificate, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { SecretBytes } from '../../src/core/index.js'
import { readCredentialFile } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE } from '../../src/onem2m/index.js'
import { connectPsk, createOneM2mClient } from '../../src/transport/index.js'
import { asCseAdmin, CSE_ADMIN, Scope, startRole } from '../support/gateway-process.js'
import { assertNoSecrets, runCli } from '../support/mef-process.js'
import { startUp } from '../support/up-process.js'

const OUTSIDE_SP = '//outside.example.net'
const OUTSIDE_CSE_ID = `${OUTSIDE_SP}/cse-outside`
const OUTSIDE_BASE = 'outside-base'
const GATEWAY_FQDN = 'gateway.m2msec.localhost'

test('up with gateway.upstream fronts an outside CSE: no cse role, endpoints.json, steps and certificate name it, and AEs registered through the gateway land in it', { timeout: 120_000 }, async (t) => {
  const scope = new Scope(t)
  const outside = await startRole(scope, 'cse', ['--cse-id', '/cse-outside', '--cse-base-name', OUTSIDE_BASE, '--sp-id', OUTSIDE_SP, '--admin', CSE_ADMIN])
  const root = mkdtempSync(join(tmpdir(), 'm2msec-up-outside-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const configFile = join(root, 'm2msec.yaml')
  writeFileSync(configFile, [
    `dataDir: ${dataDir}`, 'gateway:', '  upstream:', `    url: http://127.0.0.1:${outside.port}`, `    cseId: ${OUTSIDE_CSE_ID}`,
    `    cseBaseName: ${OUTSIDE_BASE}`, '    timeoutMs: 5000', '',
  ].join('\n'))
  const texts: string[] = []
  const cli = async (args: string[]): Promise<string> => {
    const result = await runCli(args, 30_000)
    texts.push(result.stdout, result.stderr)
    assert.equal(result.code, 0, `m2msec ${args.slice(0, 2).join(' ')}: ${result.stdout}${result.stderr}`)
    return result.stdout
  }

  const up = await startUp(t, dataDir, { configured: true, args: ['--config', configFile] })
  const { roles } = up.endpoints
  assert.deepEqual(Object.keys(roles).sort(), ['admin', 'gateway', 'maf', 'mef'], 'the reference cse role does not start')
  assert.deepEqual([roles.gateway?.cseId, roles.gateway?.cseBaseName], [OUTSIDE_CSE_ID, OUTSIDE_BASE], 'endpoints.json names the outside Registrar')
  assert.match(up.stdout(), new RegExp(`gateway forwards to the outside CSE ${OUTSIDE_CSE_ID} \\(CSEBase ${OUTSIDE_BASE}\\) at http://127\\.0\\.0\\.1:${outside.port}`))
  assert.match(up.stdout(), new RegExp(`--target 22:${OUTSIDE_CSE_ID}`), 'the enrolee may enrol for the gateway by the outside CSE-ID')
  assert.match(up.stdout(), new RegExp(`--bind ${OUTSIDE_CSE_ID}/Cdev[0-9a-f]{4}`), 'the trial Kpsa is bound to an AE-ID under the outside CSE')
  assert.match(up.stdout(), new RegExp(`printf 'POST /${OUTSIDE_BASE} HTTP/1\\.1`), 'the printed registration goes to the outside CSEBase')
  assert.doesNotMatch(up.stdout(), /in-cse|cse-in/, 'nothing printed names the reference CSE')

  // D-135: the gateway's certificate names the CSE it fronts, as the MAF identifies clients by their first // URI.
  const certificate = new X509Certificate(readFileSync(join(dataDir, 'pki', 'gateway.pem')))
  assert.match(certificate.subjectAltName ?? '', new RegExp(`URI:${OUTSIDE_CSE_ID}(,|$)`), certificate.subjectAltName)
  assert.doesNotMatch(certificate.subjectAltName ?? '', /in-cse/)

  // A provisioned Kpsa bound to an AE-ID under the outside CSE; the AE registers through the gateway and lands there.
  const device = join(dataDir, 'devices', 'outside')
  mkdirSync(device, { recursive: true, mode: 0o700 })
  const kpsa = randomBytes(32)
  writeFileSync(join(device, 'kpsa.hex'), kpsa.toString('hex'), { mode: 0o600 })
  await cli(['psk', 'add', '--data-dir', dataDir, '--identity', 'outside-1@psk.m2msec.localhost', '--key-file', join(device, 'kpsa.hex'), '--bind', `${OUTSIDE_CSE_ID}/Coutside1`])
  const gatewayPort = Number(new URL(roles.gateway!.url).port)
  const socket = await connectPsk({ port: gatewayPort, servername: GATEWAY_FQDN, identity: 'outside-1@psk.m2msec.localhost', key: new SecretBytes(kpsa) })
  const client = createOneM2mClient(socket, { host: GATEWAY_FQDN })
  try {
    const reply = await client.send({
      op: OPERATION.CREATE, to: OUTSIDE_BASE, fr: 'Coutside1', rqi: 'outside-1', rvi: '3', ty: RESOURCE_TYPE.AE,
      pc: { 'm2m:ae': { rn: 'outside1', api: 'Nm2msec-demo', rr: false, srv: ['3'] } },
    })
    assert.equal(reply.primitive.rsc, 2001, `${JSON.stringify(reply.primitive)}\n${up.output()}`)
  } finally {
    client.close()
  }
  const stored = await asCseAdmin(outside, 'GET', `/${OUTSIDE_BASE}/outside1`)
  assert.equal(stored.rsc, 2000, JSON.stringify(stored.body))
  assert.equal((stored.body['m2m:ae'] as { aei?: string } | undefined)?.aei, 'Coutside1', 'the outside CSE holds the AE with the bound AE-ID')

  // The MEF knows the gateway as Enrolment Target by the outside CSE-ID: enrol for it, and the
  // gateway's Kpsa fetch (fr = its CSE-ID) succeeds inside the handshake.
  const kpm = randomBytes(32)
  writeFileSync(join(device, 'kpm.hex'), kpm.toString('hex'), { mode: 0o600 })
  await cli(['enrolee', 'add', '--data-dir', dataDir, '--kpm-id', 'outside-2@mef.m2msec.localhost', '--kpm-file', join(device, 'kpm.hex'),
    '--enrolee-id', `${OUTSIDE_SP}/Soutside2`, '--expiry', '30d', '--target', `22:${OUTSIDE_CSE_ID}`])
  const credentialFile = join(device, 'gateway-credential.json')
  const enrolment = JSON.parse(await cli(['enrol', '--mef', roles.mef!.url, '--mef-fqdn', 'mef.m2msec.localhost', '--kpm-id', 'outside-2@mef.m2msec.localhost',
    '--kpm-file', join(device, 'kpm.hex'), '--enrolee-b-id', OUTSIDE_CSE_ID, '--credential-file', credentialFile, '--json'])) as { targetKeyId: string; suid: number }
  assert.equal(enrolment.suid, 22)
  const credential = readCredentialFile(credentialFile)
  const enrolled = createOneM2mClient(await connectPsk({ port: gatewayPort, servername: GATEWAY_FQDN, identity: enrolment.targetKeyId, key: credential.targetKey }), { host: GATEWAY_FQDN })
  try {
    const reply = await enrolled.send({
      op: OPERATION.CREATE, to: OUTSIDE_BASE, fr: 'Soutside2', rqi: 'outside-2', rvi: '3', ty: RESOURCE_TYPE.AE,
      pc: { 'm2m:ae': { rn: 'outside2', api: 'Nm2msec-demo', rr: false, srv: ['3'] } },
    })
    assert.equal(reply.primitive.rsc, 2001, `${JSON.stringify(reply.primitive)}\n${up.output()}`)
  } finally {
    enrolled.close()
  }
  assert.equal((await asCseAdmin(outside, 'GET', `/${OUTSIDE_BASE}/outside2`)).rsc, 2000, 'the enrolled device registered in the outside CSE')

  assert.equal(await up.stop(), 0, up.output())
  texts.push(up.output(), outside.output())
  assertNoSecrets(texts, [dataDir], [kpsa, kpm, credential.ke.reveal(), credential.targetKey.reveal(), readFileSync(join(dataDir, 'kek'))])
})

test('up refuses to start the cse role beside gateway.upstream, naming the key, and exits 2', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-up-outside-refused-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const result = await runCli(['up', '--data-dir', join(root, 'data'), '--roles', 'mef,maf,cse,gateway',
    '--gateway-upstream', 'http://127.0.0.1:9', '--gateway-upstream-cse-id', OUTSIDE_CSE_ID, '--gateway-upstream-cse-base-name', OUTSIDE_BASE])
  assert.equal(result.code, 2, `${result.stdout}${result.stderr}`)
  assert.match(result.stderr, /--roles: cse cannot run with gateway\.upstream set \(the gateway forwards to that outside CSE instead\): leave cse out/)
})
