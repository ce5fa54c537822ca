/**
 * Test-only audit linker (SHA-256 over the previous hash and the stored fields) standing in for
 * custody's chain module, so the contract suite can check what the store keeps.
 */
import { createHash } from 'node:crypto'
import type { AuditEventFields, AuditLinker } from '../../src/store/index.js'

export const testAuditLinker: AuditLinker = (prevHash: string, e: AuditEventFields): string =>
  createHash('sha256')
    .update(JSON.stringify([prevHash, e.seq, e.at.getTime(), e.actor, e.action, e.subjectJson, e.outcome]))
    .digest('hex')
