// The gateway end to end with real processes (issue 7 "Done means", PSK SAEF): `m2msec serve cse`
// behind `m2msec serve gateway --upstream <cse>`, Kpsa provisioned with `m2msec psk add` and
// service subscription rules with `m2msec rule add` in the gateway's data directory, and devices
// that open TLS-PSK (TS-0003 8.2.2.1, 10.2.2) and speak oneM2M over HTTP (TS-0009):
// - a Kpsa bound to an AE-ID registers that AE, creates a container and a contentInstance and
//   retrieves it; the same device sending `fr` = another registered AE-ID gets 4106 (TS-0003
//   7.2.1, wire.md §6) and the CSE never sees the request (its resource tree, read as admin);
// - a credential bound to nothing registers only the AE-IDs the rules allow (4126 otherwise,
//   nothing forwarded), and the AE-ID it got is bound from then on;
// - a Kpsa removed with `m2msec psk remove` fails at the next handshake.
// Every test ends with no key bytes in captured output or the gateway's database files.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { OPERATION, RESOURCE_TYPE, type RequestPrimitive } from '../../src/onem2m/index.js'
import { connectPsk } from '../../src/transport/index.js'
import {
  CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, OperatorCli, Scope, asCseAdmin, openPskDevice, resourceOf, startCse, startGateway, type RoleProcess,
} from '../support/gateway-process.js'
import { assertNoSecrets } from '../support/mef-process.js'

// Distinctive key bytes no output may contain.
const KPSA_1_HEX = '9C1A55E0D7B24F3A8E6C0B1D2F3A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C'
const KPSA_2_HEX = 'A7E3C1B9D5F2086E4C3B2A1908F7E6D5C4B3A29180F7E6D5C4B3A2918070605A'
const KPSA_3_HEX = '5E1F0A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7A8B9C0D1E2F3041'
const KPSA_1_ID = 'dev-1@psk.example.com'
const KPSA_2_ID = 'dev-2@psk.example.com'
const KPSA_3_ID = 'dev-3@psk.example.com'
const AE_1 = `${GATEWAY_CSE_ID}/Cdev01`
const AE_2 = `${GATEWAY_CSE_ID}/Cdev02`

let rqi = 0
function request(p: Omit<RequestPrimitive, 'rqi' | 'rvi'>): RequestPrimitive {
  rqi += 1
  return { ...p, rqi: `gw-flow-${rqi}`, rvi: '3' }
}

function registerAe(fr: string | undefined, rn: string, api = 'Nsensor-app'): RequestPrimitive {
  return request({ op: OPERATION.CREATE, to: CSE_BASE, ty: RESOURCE_TYPE.AE, ...(fr === undefined ? {} : { fr }), pc: { 'm2m:ae': { rn, api, rr: false, srv: ['3'] } } })
}

function keyFile(dir: string, name: string, hex: string): string {
  const path = join(dir, name)
  writeFileSync(path, `${hex}\n`, { mode: 0o600 })
  return path
}

function refusals(gateway: RoleProcess, rsc: number, count: number): Promise<Record<string, unknown>[]> {
  return gateway.waitForEvents(`refused ${rsc}`, (e) => e['event'] === 'refused' && e['rsc'] === rsc, count)
}

test('a Kpsa bound to an AE-ID registers it, stores and retrieves data through the gateway; fr of another AE is 4106 and never reaches the CSE', async (t) => {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-data')
  const keys = scope.dir('gw-keys')
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_1_ID, '--key-file', keyFile(keys, 'k1', KPSA_1_HEX), '--bind', AE_1])
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_2_ID, '--key-file', keyFile(keys, 'k2', KPSA_2_HEX), '--bind', AE_2])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port)

  // Device 1: `fr` = C, the gateway assigns the AE-ID bound to the Kpsa (D-131).
  const dev1 = await openPskDevice(scope, gateway.port, KPSA_1_ID, KPSA_1_HEX)
  const reg1 = await dev1.send(registerAe('C', 'dev01'))
  assert.equal(reg1.primitive.rsc, 2001, `${JSON.stringify(reg1.primitive)}\n${gateway.output()}`)
  assert.equal(resourceOf(reg1, 'ae')['aei'], 'Cdev01')
  const cnt = await dev1.send(request({ op: OPERATION.CREATE, to: `${CSE_BASE}/dev01`, fr: 'Cdev01', ty: RESOURCE_TYPE.CONTAINER, pc: { 'm2m:cnt': { rn: 'data' } } }))
  assert.equal(cnt.primitive.rsc, 2001, JSON.stringify(cnt.primitive))
  const cin = await dev1.send(request({ op: OPERATION.CREATE, to: `${CSE_BASE}/dev01/data`, fr: 'Cdev01', ty: RESOURCE_TYPE.CONTENT_INSTANCE, pc: { 'm2m:cin': { cnf: 'text/plain:0', con: '21.5' } } }))
  assert.equal(cin.primitive.rsc, 2001, JSON.stringify(cin.primitive))
  const latest = await dev1.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/dev01/data/la`, fr: 'Cdev01' }))
  assert.equal(latest.primitive.rsc, 2000, JSON.stringify(latest.primitive))
  assert.equal(resourceOf(latest, 'cin')['con'], '21.5')

  // Device 2 registers its own AE on its own Kpsa.
  const dev2 = await openPskDevice(scope, gateway.port, KPSA_2_ID, KPSA_2_HEX)
  const reg2 = await dev2.send(registerAe('Cdev02', 'dev02'))
  assert.equal(reg2.primitive.rsc, 2001, JSON.stringify(reg2.primitive))

  // Device 1 claims to be device 2: a request the CSE would accept from Cdev02 (D-121).
  const stolen = await dev1.send(request({ op: OPERATION.CREATE, to: `${CSE_BASE}/dev02`, fr: 'Cdev02', ty: RESOURCE_TYPE.CONTAINER, pc: { 'm2m:cnt': { rn: 'stolen' } } }))
  assert.equal(stolen.primitive.rsc, 4106, JSON.stringify(stolen.primitive))
  const absolute = await dev1.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/dev02`, fr: AE_2 }))
  assert.equal(absolute.primitive.rsc, 4106, 'the Absolute AE-ID of another AE is refused as well')
  assert.deepEqual((await refusals(gateway, 4106, 2)).map((e) => e['fr']), ['Cdev02', AE_2])
  // The CSE never saw the CREATE: no such container, and device 2's AE is as it registered.
  assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/dev02/stolen`)).rsc, 4004)
  assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/dev01/data/la`)).rsc, 2000, 'the admin reads what the device stored')
  // Device 2 registering device 1's AE-ID is refused the same way.
  const takeover = await dev2.send(registerAe('Cdev01', 'dev01b'))
  assert.equal(takeover.primitive.rsc, 4106, JSON.stringify(takeover.primitive))
  assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/dev01b`)).rsc, 4004)

  assertNoSecrets([gateway.output(), cse.output(), ...cli.texts()], [dataDir], [fromHex(KPSA_1_HEX), fromHex(KPSA_2_HEX)])
})

test('a Kpsa bound to nothing registers only an AE-ID its service subscription rules allow (4126 and nothing forwarded otherwise), then stays bound to it', async (t) => {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-data')
  const keys = scope.dir('gw-keys')
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_3_ID, '--key-file', keyFile(keys, 'k3', KPSA_3_HEX)])
  await cli.ok(['rule', 'add', 'meters', '--data-dir', dataDir, '--cred-id', '12-*@psk.example.com', '--app-id', 'Nmeter*', '--ae', 'Cmeter*'])
  const listed = JSON.parse(await cli.ok(['rule', 'list', '--data-dir', dataDir, '--json'])) as { ruleId: string }[]
  assert.deepEqual(listed.map((r) => r.ruleId), ['meters'])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port)
  const dev = await openPskDevice(scope, gateway.port, KPSA_3_ID, KPSA_3_HEX)

  const wrongAe = await dev.send(registerAe('Csensor1', 'sensor1', 'Nmeter-app'))
  assert.equal(wrongAe.primitive.rsc, 4126, JSON.stringify(wrongAe.primitive))
  const wrongApp = await dev.send(registerAe('Cmeter1', 'meter1', 'Nsensor-app'))
  assert.equal(wrongApp.primitive.rsc, 4126, JSON.stringify(wrongApp.primitive))
  assert.equal((await refusals(gateway, 4126, 2)).length, 2)
  for (const rn of ['sensor1', 'meter1']) assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/${rn}`)).rsc, 4004, `${rn} never reached the CSE`)

  const allowed = await dev.send(registerAe('Cmeter1', 'meter1', 'Nmeter-app'))
  assert.equal(allowed.primitive.rsc, 2001, `${JSON.stringify(allowed.primitive)}\n${gateway.output()}`)
  assert.equal(resourceOf(allowed, 'ae')['aei'], 'Cmeter1')
  await gateway.waitForEvents('registered', (e) => e['event'] === 'registered' && e['aeId'] === `${GATEWAY_CSE_ID}/Cmeter1`)
  // The binding is durable: a new connection of the same credential may act as Cmeter1 only.
  const again = await openPskDevice(scope, gateway.port, KPSA_3_ID, KPSA_3_HEX)
  const own = await again.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/meter1`, fr: 'Cmeter1' }))
  assert.equal(own.primitive.rsc, 2000, JSON.stringify(own.primitive))
  const other = await again.send(request({ op: OPERATION.RETRIEVE, to: CSE_BASE, fr: 'Cmeter2' }))
  assert.equal(other.primitive.rsc, 4106, JSON.stringify(other.primitive))

  assertNoSecrets([gateway.output(), cse.output(), ...cli.texts()], [dataDir], [fromHex(KPSA_3_HEX)])
})

test('a Kpsa removed with m2msec psk remove fails the next handshake while the gateway keeps running', async (t) => {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-data')
  const keys = scope.dir('gw-keys')
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_1_ID, '--key-file', keyFile(keys, 'k1', KPSA_1_HEX), '--bind', AE_1])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port)
  const dev = await openPskDevice(scope, gateway.port, KPSA_1_ID, KPSA_1_HEX)
  const reg = await dev.send(registerAe(undefined, 'dev01'))
  assert.equal(reg.primitive.rsc, 2001, JSON.stringify(reg.primitive))
  dev.close()

  await cli.ok(['psk', 'remove', '--data-dir', dataDir, '--identity', KPSA_1_ID])
  await assert.rejects(
    connectPsk({ port: gateway.port, servername: GATEWAY_FQDN, identity: KPSA_1_ID, key: new SecretBytes(fromHex(KPSA_1_HEX)) }),
    { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' },
  )
  const refused = await gateway.waitForEvents('handshake-refused', (e) => e['event'] === 'handshake-refused')
  assert.deepEqual(refused.map((e) => [e['identity'], e['reason']]), [[KPSA_1_ID, 'unknown-identity']], gateway.output())
  // The gateway keeps running and refusing: a wrong SNI is refused for its own reason.
  await assert.rejects(connectPsk({ port: gateway.port, servername: 'other.example.com', identity: KPSA_1_ID, key: new SecretBytes(fromHex(KPSA_1_HEX)) }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
  await gateway.waitForEvents('wrong-sni refusal', (e) => e['event'] === 'handshake-refused' && e['reason'] === 'wrong-sni')

  assertNoSecrets([gateway.output(), cse.output(), ...cli.texts()], [dataDir], [fromHex(KPSA_1_HEX)])
})
