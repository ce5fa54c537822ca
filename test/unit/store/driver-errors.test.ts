import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CoreError, M2mSecError } from '../../../src/core/index.js'
import { classifyDriverError, translateDriverError } from '../../../src/store/driver-errors.js'
import { StoreError } from '../../../src/store/errors.js'

const withCode = (code: string, message = 'driver said something'): Error => Object.assign(new Error(message), { code })

test('better-sqlite3 and pg constraint errors map to the same store codes', () => {
  const cases: [Error, string | undefined][] = [
    [withCode('SQLITE_CONSTRAINT_UNIQUE'), 'M2MSEC_STORE_CONFLICT'],
    [withCode('SQLITE_CONSTRAINT_PRIMARYKEY'), 'M2MSEC_STORE_CONFLICT'],
    [withCode('23505'), 'M2MSEC_STORE_CONFLICT'],
    [withCode('SQLITE_CONSTRAINT_FOREIGNKEY'), 'M2MSEC_STORE_NOT_FOUND'],
    [withCode('23503'), 'M2MSEC_STORE_NOT_FOUND'],
    [withCode('SQLITE_BUSY'), 'M2MSEC_STORE_UNAVAILABLE'],
    [withCode('SQLITE_IOERR_FSYNC'), 'M2MSEC_STORE_UNAVAILABLE'],
    [withCode('08006'), 'M2MSEC_STORE_UNAVAILABLE'],
    [withCode('57P01'), 'M2MSEC_STORE_UNAVAILABLE'],
    [withCode('40001'), 'M2MSEC_STORE_UNAVAILABLE'],
    [withCode('ECONNREFUSED'), 'M2MSEC_STORE_UNAVAILABLE'],
    [new TypeError('Cannot open database because the directory does not exist'), 'M2MSEC_STORE_UNAVAILABLE'],
    [new Error('Connection terminated unexpectedly'), 'M2MSEC_STORE_UNAVAILABLE'],
    [withCode('SQLITE_CONSTRAINT_NOTNULL'), undefined],
    [withCode('42P01'), undefined],
    [new Error('plain'), undefined],
  ]
  assert.ok(cases.length > 0)
  for (const [error, expected] of cases) assert.equal(classifyDriverError(error), expected, `${String((error as { code?: string }).code)} ${error.message}`)
})

test('translated errors carry code, kind and the driver error as cause, never the driver message', () => {
  const driver = withCode('23505', 'duplicate key value violates unique constraint "x" Key (ke_id)=(SECRET)')
  const error = translateDriverError(driver, 'insert enrolment')
  assert.ok(error instanceof StoreError && error instanceof M2mSecError)
  assert.equal(error.code, 'M2MSEC_STORE_CONFLICT')
  assert.equal(error.kind, 'conflict')
  assert.equal(error.cause, driver)
  assert.doesNotMatch(error.message, /SECRET/)
  const unknown = translateDriverError(withCode('42P01'), 'select')
  assert.deepEqual([unknown.code, unknown.kind], ['M2MSEC_STORE_QUERY_FAILED', 'internal'])
  const notFound = translateDriverError(withCode('23503'), 'insert')
  assert.deepEqual([notFound.code, notFound.kind], ['M2MSEC_STORE_NOT_FOUND', 'not-found'])
  const unavailable = translateDriverError(withCode('SQLITE_BUSY'), 'commit')
  assert.deepEqual([unavailable.code, unavailable.kind], ['M2MSEC_STORE_UNAVAILABLE', 'unavailable'])
})

test('our own coded errors pass through translation unchanged', () => {
  const own = new CoreError('M2MSEC_ID_INVALID', 'bad-input', 'KeID is malformed')
  assert.equal(translateDriverError(own, 'x'), own)
})
