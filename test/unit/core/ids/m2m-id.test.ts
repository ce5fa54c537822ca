import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  cseIdPublicDomainName, parseAeId, parseCseId, parseSpId, toAbsoluteAeId, toAbsoluteCseId, toSpRelativeAeId, toSpRelativeCseId,
} from '../../../../src/core/ids/m2m-id.js'
import { AE_ID_CONVERSIONS, AE_IDS, CSE_IDS, CSE_PUBLIC_DOMAIN_NAMES } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/)
const spFqdn = fc.array(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 1, maxLength: 4 }).map((l) => l.join('.'))

test('TS-0001 Table 7.2-1 / TS-0004 §6.2.3 CSE-ID examples parse with the right form', () => {
  assert.ok(CSE_IDS.length > 0)
  for (const v of CSE_IDS) {
    const parsed = parseCseId(v.id)
    assert.equal(parsed.form, v.form, v.source)
    assert.equal(parsed.id, v.id, v.source)
    assert.equal(parsed.cseId, v.cseId, v.source)
    assert.equal(parsed.spRelative, `/${v.cseId}`, v.source)
    if (v.form === 'absolute') assert.equal(`${parsed.spId}/${v.cseId}`, v.id, v.source)
  }
  assert.deepEqual(parseCseId('in-cse'), { form: 'cse-relative', id: 'in-cse', cseId: 'in-cse', spRelative: '/in-cse' })
})

test('TS-0001 Table 7.2-1 / TS-0004 §6.2.3 AE-ID examples parse with the right form and stem type', () => {
  assert.ok(AE_IDS.length > 0)
  for (const v of AE_IDS) {
    const parsed = parseAeId(v.id)
    assert.equal(parsed.form, v.form, v.source)
    assert.equal(parsed.stemType, v.stemType, v.source)
    assert.equal(parsed.id, v.id, v.source)
    assert.ok(v.id.endsWith(parsed.stem), v.source)
  }
  const c = parseAeId('//m2m.prov.com/CSE3219/C9886')
  assert.equal(c.registrarCseId, '/CSE3219')
  assert.equal(c.spId, '//m2m.prov.com')
  assert.equal(c.fqdn, 'm2m.prov.com')
})

test('TS-0004 §6.2.3 example 2 / wire.md §6: AE-ID conversions between stem, SP-relative and absolute', () => {
  assert.ok(AE_ID_CONVERSIONS.length > 0)
  for (const v of AE_ID_CONVERSIONS) {
    const ctx = { spId: v.spId, registrarCseId: v.registrarCseId }
    assert.equal(toSpRelativeAeId(v.stem, ctx), v.spRelative, v.source)
    assert.equal(toAbsoluteAeId(v.stem, ctx), v.absolute, v.source)
    assert.equal(toAbsoluteAeId(v.spRelative, ctx), v.absolute, v.source)
    assert.equal(toSpRelativeAeId(v.absolute, ctx), v.spRelative, v.source)
    assert.equal(toAbsoluteAeId(v.absolute, ctx), v.absolute, v.source)
    // An absolute Registrar CSE-ID of the same SP works as well.
    assert.equal(toAbsoluteAeId(v.stem, { spId: v.spId, registrarCseId: `${v.spId}${v.registrarCseId}` }), v.absolute, v.source)
  }
})

test('AE-ID conversion refusals: C-stem without Registrar, foreign SP, missing own SP', () => {
  assert.throws(() => toSpRelativeAeId('Cae01'), ID_INVALID)
  assert.throws(() => toAbsoluteAeId('Cae01', { spId: '//sp.example.com' }), ID_INVALID)
  assert.throws(() => toSpRelativeAeId('//other.example.com/S1', { spId: '//sp.example.com' }), ID_INVALID)
  assert.throws(() => toSpRelativeAeId('//sp.example.com/S1'), ID_INVALID)
  assert.throws(() => toAbsoluteAeId('Cae01', { spId: '//sp.example.com', registrarCseId: '//other.example.com/mn1' }), ID_INVALID)
  assert.throws(() => toAbsoluteAeId('S1', { spId: 'sp.example.com' }), ID_INVALID)
})

test('CSE-ID conversions (TS-0004 §6.2.3 example 1)', () => {
  assert.equal(toAbsoluteCseId('/cse1', '//myoperator.com'), '//myoperator.com/cse1')
  assert.equal(toAbsoluteCseId('cse1', '//myoperator.com'), '//myoperator.com/cse1')
  assert.equal(toAbsoluteCseId('//myoperator.com/cse1', '//other.com'), '//myoperator.com/cse1')
  assert.equal(toSpRelativeCseId('//myoperator.com/cse1', '//myoperator.com'), '/cse1')
  assert.equal(toSpRelativeCseId('cse1'), '/cse1')
  assert.throws(() => toSpRelativeCseId('//myoperator.com/cse1', '//other.com'), ID_INVALID)
  assert.throws(() => toSpRelativeCseId('//myoperator.com/cse1'), ID_INVALID)
})

test('crypto.md §4 / TS-0001 §6.5.1.1: default CSE public domain name, lower case (OQ-4)', () => {
  assert.ok(CSE_PUBLIC_DOMAIN_NAMES.length > 0)
  for (const v of CSE_PUBLIC_DOMAIN_NAMES) assert.equal(cseIdPublicDomainName(v.cseId, v.parent), v.name, v.source)
  assert.equal(
    cseIdPublicDomainName('/MN-CSEID', cseIdPublicDomainName('/IN-CSEID', 'M2M.myoperator.org')),
    'mn-cseid.in-cseid.m2m.myoperator.org',
  )
  // Negative of the lower-case rule (crypto.md §4.1 row 5 note): the mixed-case string is not produced.
  assert.notEqual(cseIdPublicDomainName('//m2m.example.com/CSE-B01'), 'CSE-B01.m2m.example.com')
  for (const [id, parent] of [['/cse_1', 'sp.example.com'], ['/cse.1', 'sp.example.com'], ['/-cse', 'sp.example.com'],
    [`/${'a'.repeat(64)}`, 'sp.example.com'], ['/cse1', undefined], ['/cse1', 'sp..example.com'],
    ['/cse1', Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')]] as const) {
    assert.throws(() => cseIdPublicDomainName(id, parent), ID_INVALID, `${id} ${parent}`)
  }
})

test('M2M-SP-ID parse (TS-0001 Table 7.2-1)', () => {
  assert.equal(parseSpId('//www.m2mprovider.com'), '//www.m2mprovider.com')
  for (const bad of ['', 'www.m2mprovider.com', '/www.m2mprovider.com', '//', '//WWW.m2mprovider.com', '//a.com/x', '//a..com']) {
    assert.throws(() => parseSpId(bad), ID_INVALID, bad)
  }
})

test('CSE-ID negatives (TS-0004 §6.2.3 ABNF) throw M2MSEC_ID_INVALID', () => {
  const bad = ['', '/', '//', '//sp.example.com', '//sp.example.com/', '//SP.example.com/cse1', '//sp_x.com/cse1',
    '/cse1/x', '//sp.example.com/cse1/Cae01', '/-cse', '/.', '/..', '/cse~1', '/cse 1', '/cse@1', 'cse/1', '///cse1']
  for (const text of bad) assert.throws(() => parseCseId(text), ID_INVALID, JSON.stringify(text))
})

test('AE-ID negatives (TS-0004 §6.2.3 ABNF) throw M2MSEC_ID_INVALID', () => {
  const bad = {
    empty: '',
    'wrong prefix stem': 'Aae01',
    'lower-case c prefix': 'cae01',
    'bare C': 'C',
    'bare S': 'S',
    'stem continues with "-"': 'C-ae',
    'C stem without CSE': '/Cae01',
    'S stem under a CSE': '/cse1/S8832',
    'wrong prefix under CSE': '/cse1/Xae01',
    'three segments': '/cse1/Cae01/x',
    'empty stem': '/cse1/',
    'bad CSE segment': '/-cse1/Cae01',
    'absolute upper-case FQDN': '//SP.example.com/S1',
    'absolute without path': '//sp.example.com',
    'absolute C without CSE': '//sp.example.com/Cae01',
    'tilde': 'Cae~01',
    'space': 'Cae 01',
  }
  for (const [name, text] of Object.entries(bad)) assert.throws(() => parseAeId(text), ID_INVALID, name)
})

test('property: stem → SP-relative → absolute → SP-relative round trip; parse keeps text unchanged', () => {
  fc.assert(fc.property(fc.constantFrom('C', 'S'), segment, segment, spFqdn, (type, rest, cse, fqdn) => {
    const stem = `${type}${rest}`
    const ctx = { spId: `//${fqdn}`, registrarCseId: `/${cse}` }
    const spRel = toSpRelativeAeId(stem, ctx)
    const abs = toAbsoluteAeId(spRel, ctx)
    assert.equal(toAbsoluteAeId(stem, ctx), abs)
    assert.equal(toSpRelativeAeId(abs, ctx), spRel)
    for (const id of [stem, spRel, abs]) assert.equal(parseAeId(id).id, id)
    assert.equal(parseAeId(abs).stem, stem)
    assert.equal(toSpRelativeCseId(toAbsoluteCseId(cse, ctx.spId), ctx.spId), `/${cse}`)
  }))
})
