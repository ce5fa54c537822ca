// The commands `m2msec up` prints (issue 8 "the next command to try"); the integration test runs
// them, these check their shape: the dialled URL with the FQDN named beside it, the same KpmID
// and files in each line, and no Kpm on any command line.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { gatewaySteps, nextSteps } from '../../../../src/cli/up/next-steps.js'
import type { RoleName, RunningRole } from '../../../../src/cli/up/role-registry.js'

const role = (name: RoleName, port: number): RunningRole => ({
  name, url: `https://127.0.0.1:${port}`, host: '127.0.0.1', port, fqdn: `${name}.m2msec.localhost`, close: async () => undefined,
})
const running = new Map<RoleName, RunningRole>([['mef', role('mef', 4101)], ['maf', role('maf', 4102)]])

test('next steps: enrolee add, enrol at the MEF URL with --mef-fqdn, maf register at the MAF URL with --maf-fqdn', () => {
  const [kpm, add, enrol, register, ...rest] = nextSteps('.m2msec', running, 'dev-0a1b')
  assert.deepEqual(rest, [])
  assert.match(kpm!, /^mkdir -p \.m2msec\/devices\/dev-0a1b && \(umask 077 && .* > \.m2msec\/devices\/dev-0a1b\/kpm\.hex\)$/)
  assert.match(add!, /^npx m2msec enrolee add --data-dir \.m2msec --kpm-id dev-0a1b@mef\.m2msec\.localhost --kpm-file \.m2msec\/devices\/dev-0a1b\/kpm\.hex .*--target 21:maf\.m2msec\.localhost$/)
  assert.match(enrol!, /--mef https:\/\/127\.0\.0\.1:4101 --mef-fqdn mef\.m2msec\.localhost --kpm-id dev-0a1b@mef\.m2msec\.localhost .*--maf-id maf\.m2msec\.localhost --credential-file \.m2msec\/devices\/dev-0a1b\/credential\.json/)
  assert.match(register!, /--maf-url https:\/\/127\.0\.0\.1:4102 --maf-fqdn maf\.m2msec\.localhost --credential-file \.m2msec\/devices\/dev-0a1b\/credential\.json/)
  for (const line of [add, enrol, register]) assert.doesNotMatch(line!, /--kpm /, 'the Kpm stays in its file')
})

test('next steps: a data directory with a space is quoted; a fresh device name each time', () => {
  const [mkdir, add] = nextSteps('/tmp/my data', running, 'dev-1')
  assert.match(add!, /--data-dir '\/tmp\/my data' .*--kpm-file '\/tmp\/my data\/devices\/dev-1\/kpm\.hex' /)
  assert.match(mkdir!, /^mkdir -p '\/tmp\/my data\/devices\/dev-1' /)
  const names = new Set(Array.from({ length: 8 }, () => /--kpm-id (dev-[0-9a-f]{4})@/.exec(nextSteps('.m2msec', running)[1]!)?.[1]))
  assert.ok(names.size > 1)
})

test('next steps: none without both an MEF and a MAF', () => {
  assert.deepEqual(nextSteps('.m2msec', new Map([['mef', role('mef', 1)]])), [])
})

const gateway: RunningRole = {
  ...role('gateway', 4104), registrar: { cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in' },
}
const withGateway = new Map<RoleName, RunningRole>([...running, ['gateway', gateway]])

test('next steps with the gateway: the enrolee may also enrol for it (SUID 22 target = its CSE-ID)', () => {
  assert.match(nextSteps('.m2msec', withGateway, 'dev-0a1b')[1]!, /--target 21:maf\.m2msec\.localhost --target 22:\/\/m2msec\.localhost\/in-cse$/)
})

test('gateway steps: a Kpsa file, psk add bound to <CSE-ID>/C<device>, openssl s_client with SNI and a raw AE registration whose Content-Length is right', () => {
  const [make, add, ossl, ...rest] = gatewaySteps('.m2msec', withGateway, 'dev-0a1b')
  assert.deepEqual(rest, [])
  assert.match(make!, /^mkdir -p \.m2msec\/devices\/dev-0a1b && \(umask 077 && .* > \.m2msec\/devices\/dev-0a1b\/kpsa\.hex\)$/)
  assert.equal(add, 'npx m2msec psk add --data-dir .m2msec --identity dev-0a1b@psk.m2msec.localhost --key-file .m2msec/devices/dev-0a1b/kpsa.hex --bind //m2msec.localhost/in-cse/Cdev0a1b')
  assert.match(ossl!, / \| openssl s_client -quiet -tls1_2 -cipher PSK-AES128-CBC-SHA256 -connect 127\.0\.0\.1:4104 -servername gateway\.m2msec\.localhost -psk_identity dev-0a1b@psk\.m2msec\.localhost -psk "\$\(cat \.m2msec\/devices\/dev-0a1b\/kpsa\.hex\)"$/)
  const format = /^printf '([^']*)'/.exec(ossl!)?.[1]
  assert.ok(format, ossl)
  const [head, body] = format.split('\\r\\n\\r\\n')
  assert.match(head!, /^POST \/cse-in HTTP\/1\.1\\r\\nHost: gateway\.m2msec\.localhost\\r\\nX-M2M-Origin: Cdev0a1b\\r\\n/)
  assert.equal(Number(/Content-Length: (\d+)/.exec(head!)?.[1]), Buffer.byteLength(body!), 'Content-Length matches the body')
  assert.deepEqual(JSON.parse(body!), { 'm2m:ae': { rn: 'dev0a1b', api: 'Nm2msec-demo', rr: false, srv: ['3'] } })
  assert.doesNotMatch(format, /%/, 'nothing printf would expand')
})

test('gateway steps: none without a gateway', () => {
  assert.deepEqual(gatewaySteps('.m2msec', running), [])
})

test('gateway steps in front of an outside CSE (gateway.upstream, D-178): its CSE-ID in the binding and the SUID 22 target, its CSEBase in the request', () => {
  const outside: RunningRole = { ...gateway, registrar: { cseId: '//iot.example.net/cse-1', cseBaseName: 'outside-base' }, upstreamUrl: 'http://10.0.0.7:8080' }
  const steps = new Map<RoleName, RunningRole>([...running, ['gateway', outside]])
  assert.match(nextSteps('.m2msec', steps, 'dev-0a1b')[1]!, /--target 22:\/\/iot\.example\.net\/cse-1$/)
  const [, add, ossl] = gatewaySteps('.m2msec', steps, 'dev-0a1b')
  assert.match(add!, / --bind \/\/iot\.example\.net\/cse-1\/Cdev0a1b$/)
  assert.match(ossl!, /^printf 'POST \/outside-base HTTP\/1\.1\\r\\n/)
  assert.doesNotMatch(`${add!}${ossl!}`, /m2msec\.localhost\/in-cse|cse-in/, 'nothing of the reference CSE')
})
