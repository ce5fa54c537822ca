/**
 * State of the MEF CA used for certificate provisioning (frameworks.md §16, §18 "CA/RA state"):
 * the CA certificate and its sealed private key, a serial counter advanced atomically in the
 * issuing transaction, every issued certificate (unique serial per CA, unique fingerprint) and
 * its revocation. Serial numbers are stored as upper-case hex text so any length fits.
 */
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { fromMs, toMs } from './row-codec.js'
import type { IssuedCertificateRow } from './schema.js'
import { openFrom, sealFor } from './sealing.js'

export interface CaRecord {
  readonly caId: string
  readonly certPem: string
  readonly key: SecretBytes
  readonly createdAt: Date
}

export interface IssuedCertificate {
  readonly caId: string
  /** Hex; stored and compared upper-cased. */
  readonly serial: string
  readonly subject: string
  /** Upper-case hex SHA-256 of the DER certificate. */
  readonly fingerprint: string
  readonly certPem: string
  readonly notBefore: Date
  readonly notAfter: Date
}

export interface IssuedCertificateRecord extends IssuedCertificate {
  readonly issuedAt: Date
  readonly revokedAt?: Date
  /** RFC 5280 CRLReason code. */
  readonly revocationReason?: number
}

export interface CaRepo {
  /** @throws StoreError M2MSEC_STORE_CONFLICT */
  createCa(ca: { readonly caId: string; readonly certPem: string; readonly key: SecretBytes }): Promise<void>
  getCa(caId: string): Promise<CaRecord | undefined>
  /** Returns a serial never handed out before by this CA. @throws StoreError M2MSEC_STORE_NOT_FOUND */
  nextSerial(caId: string): Promise<bigint>
  /** @throws StoreError M2MSEC_STORE_CONFLICT (serial or fingerprint repeat), M2MSEC_STORE_NOT_FOUND (CA) */
  recordIssued(certificate: IssuedCertificate): Promise<void>
  findIssued(caId: string, serial: string): Promise<IssuedCertificateRecord | undefined>
  findByFingerprint(fingerprint: string): Promise<IssuedCertificateRecord | undefined>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  revoke(caId: string, serial: string, reason: number, at: Date): Promise<void>
  listRevoked(caId: string): Promise<readonly IssuedCertificateRecord[]>
}

export function caSealContext(caId: string): { table: string; recordId: string; purpose: string } {
  return { table: 'cas', recordId: caId, purpose: 'ca-private-key' }
}

function decodeIssued(row: IssuedCertificateRow): IssuedCertificateRecord {
  return {
    caId: row.ca_id, serial: row.serial, subject: row.subject, fingerprint: row.fingerprint, certPem: row.cert_pem,
    notBefore: fromMs(row.not_before), notAfter: fromMs(row.not_after), issuedAt: fromMs(row.issued_at),
    ...(row.revoked_at === null ? {} : { revokedAt: fromMs(row.revoked_at) }),
    ...(row.revocation_reason === null ? {} : { revocationReason: Number(row.revocation_reason) }),
  }
}

export function caRepo(ctx: RepoContext): CaRepo {
  const { db } = ctx
  return {
    createCa: (ca) => guarded('insert ca', async () => {
      await db.insertInto('cas').values({
        ca_id: ca.caId, cert_pem: ca.certPem, key_sealed: sealFor(ctx.sealer, ca.key, caSealContext(ca.caId)),
        next_serial: 1, created_at: toMs(ctx.clock()),
      }).execute()
    }),
    getCa: (caId) => guarded('read ca', async () => {
      const row = await db.selectFrom('cas').selectAll().where('ca_id', '=', caId).executeTakeFirst()
      if (row === undefined) return undefined
      return { caId: row.ca_id, certPem: row.cert_pem, key: openFrom(ctx.sealer, row.key_sealed, caSealContext(row.ca_id)), createdAt: fromMs(row.created_at) }
    }),
    nextSerial: (caId) => guarded('advance ca serial', async () => {
      // A single UPDATE … RETURNING: the row lock makes concurrent issuers on PostgreSQL queue.
      const row = await db.updateTable('cas').set((eb) => ({ next_serial: eb('next_serial', '+', 1) }))
        .where('ca_id', '=', caId).returning('next_serial').executeTakeFirst()
      if (row === undefined) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no ca ${caId}`)
      return BigInt(row.next_serial) - 1n
    }),
    recordIssued: (c) => guarded('insert issued certificate', async () => {
      await db.insertInto('issued_certificates').values({
        ca_id: c.caId, serial: c.serial.toUpperCase(), subject: c.subject, fingerprint: c.fingerprint.toUpperCase(),
        cert_pem: c.certPem, not_before: toMs(c.notBefore), not_after: toMs(c.notAfter), issued_at: toMs(ctx.clock()),
        revoked_at: null, revocation_reason: null,
      }).execute()
    }),
    findIssued: (caId, serial) => guarded('read issued certificate', async () => {
      const row = await db.selectFrom('issued_certificates').selectAll()
        .where('ca_id', '=', caId).where('serial', '=', serial.toUpperCase()).executeTakeFirst()
      return row === undefined ? undefined : decodeIssued(row)
    }),
    findByFingerprint: (fingerprint) => guarded('read issued certificate', async () => {
      const row = await db.selectFrom('issued_certificates').selectAll().where('fingerprint', '=', fingerprint.toUpperCase()).executeTakeFirst()
      return row === undefined ? undefined : decodeIssued(row)
    }),
    revoke: (caId, serial, reason, at) => guarded('revoke certificate', async () => {
      const result = await db.updateTable('issued_certificates').set({ revoked_at: toMs(at), revocation_reason: reason })
        .where('ca_id', '=', caId).where('serial', '=', serial.toUpperCase()).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no certificate ${serial} from ca ${caId}`)
    }),
    listRevoked: (caId) => guarded('list revoked certificates', async () => {
      const rows = await db.selectFrom('issued_certificates').selectAll()
        .where('ca_id', '=', caId).where('revoked_at', 'is not', null).orderBy('serial').execute()
      return rows.map(decodeIssued)
    }),
  }
}
