/**
 * Opens the audit log of a data directory for `m2msec audit verify`. Store repositories exist
 * only inside a transaction, so every page read runs in its own short read transaction.
 */
import { auditEventSource, openDataDirectoryStore } from '../store/index.js'
import type { AuditEventSource, OpenAuditSource } from './commands/audit.js'

export const openDataDirectoryAuditSource: OpenAuditSource = async ({ dataDir }): Promise<AuditEventSource> => {
  const store = await openDataDirectoryStore({ dataDir, create: false })
  return auditEventSource(
    {
      list: (options) => store.transaction((tx) => tx.audit.list(options)),
      head: () => store.transaction((tx) => tx.audit.head()),
    },
    { close: () => store.close() },
  )
}
