// Configuration and AE-ID rules of the reference CSE (wire.md §2.1 identifiers, §5 AE-ID
// assignment; the loopback/private listen rule that follows from trusting `fr`).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { assignAeId, localAeStem } from '../../../../src/services/cse/ae-id.js'
import { checkListenHost, validateCseConfig } from '../../../../src/services/cse/config.js'

const config = validateCseConfig({ cseId: '/in-cse', cseBaseName: 'cse-in', spId: 'M2M.example.com' })

test('the configuration normalises the SP-ID and refuses malformed identifiers', () => {
  assert.equal(config.spId, '//m2m.example.com')
  assert.equal(config.cseIdSegment, 'in-cse')
  for (const bad of [{ cseId: 'in-cse' }, { cseId: '//m2m.example.com/in-cse' }, { cseId: '/in cse' }, { cseBaseName: '-' }, { cseBaseName: 'a/b' }, { spId: '//' }]) {
    assert.throws(() => validateCseConfig({ cseId: '/in-cse', cseBaseName: 'cse-in', spId: '//m2m.example.com', ...bad }), { code: 'M2MSEC_CSE_CONFIG_INVALID' }, JSON.stringify(bad))
  }
})

test('the CSE listens on loopback or private addresses only, unless told the interface is private', () => {
  for (const ok of ['127.0.0.1', '::1', '10.1.2.3', '172.16.0.1', '192.168.1.1', 'fd00::1', 'localhost']) checkListenHost(ok)
  for (const bad of ['0.0.0.0', '::', '8.8.8.8', '172.32.0.1', 'cse.example.com']) {
    assert.throws(() => checkListenHost(bad), { code: 'M2MSEC_CSE_CONFIG_INVALID' }, bad)
  }
  checkListenHost('0.0.0.0', true)
})

test('AE-ID assignment follows fr: absent/C → C-random, S → S-random, own forms → the stem (wire.md §5.1)', () => {
  assert.match(assignAeId(undefined, config), /^C[0-9A-F]{16}$/)
  assert.match(assignAeId('C', config), /^C[0-9A-F]{16}$/)
  assert.match(assignAeId('S', config), /^S[0-9A-F]{16}$/)
  assert.notEqual(assignAeId('C', config), assignAeId('C', config))
  assert.equal(assignAeId('Cae01', config), 'Cae01')
  assert.equal(assignAeId('/in-cse/Cae01', config), 'Cae01')
  assert.equal(assignAeId('/S88', config), 'S88')
  assert.equal(assignAeId('//m2m.example.com/in-cse/Cae01', config), 'Cae01')
  for (const bad of ['X1', '/other-cse/Cae01', '//other.example.com/S1', '/in-cse', 'C a', '/Cae01', '']) {
    assert.throws(() => assignAeId(bad, config), { rsc: 4000 }, bad)
  }
})

test('localAeStem accepts exactly the stems it would assign (property)', () => {
  fc.assert(fc.property(fc.stringMatching(/^[CS][A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), (stem) => {
    assert.equal(localAeStem(stem, config), stem)
    assert.equal(localAeStem(`//m2m.example.com${stem.startsWith('C') ? '/in-cse' : ''}/${stem}`, config), stem)
  }))
  fc.assert(fc.property(fc.string(), (text) => {
    const stem = localAeStem(text, config)
    if (stem !== undefined) assert.match(stem, /^[CS][A-Za-z0-9][A-Za-z0-9._-]*$/)
  }))
})
