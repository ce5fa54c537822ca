/**
 * `m2msec psk add | list | remove | revoke`: a locally provisioned Kpsa for the gateway's PSK SAEF (TS-0003
 * 8.2.2.1 credential configuration at Entity B; frameworks.md §5: KpsaID → Kpsa, peer identity).
 * The key is read from a file (hex, or `base64:`), stored sealed with usage 'saef', and never
 * printed; `--bind` names the Absolute AE-ID or CSE-ID the association is bound to, without it
 * the Credential-ID `12-<KpsaID>` is resolved through the rules at registration. `revoke` keeps
 * the row but fails its next handshake; a running gateway cuts its live sessions at its next recheck.
 * With `--server` the same happens through the admin API (issue 8); the key file is still read and
 * checked here, and the key is sent once in the request body.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { SecretBytes } from '../../core/index.js'
import { parseBind as parseBindText, parseKeyText as parseKpsaText, parseKpsaIdentity } from '../../services/gateway/index.js'
import type { BoundEntity } from '../../store/index.js'
import { addServerOptions, type RemoteOptions } from '../admin-client.js'
import { DEFAULT_DATA_DIR, type OperatorCommandDeps } from '../operator-backend/local-store.js'
import { pskBackend, type KpsaView } from '../operator-backend/psk-backend.js'
import { formatTable, parseLimit } from './enrolee-output.js'
import { asUsage } from './rule.js'

interface PskAddOptions extends RemoteOptions {
  readonly identity: string
  readonly keyFile: string
  readonly bind?: string
}

/** A Kpsa of 16–64 bytes from the text of a key file: hex (optionally `hex:`) or `base64:` (the gateway's operator parser). */
export function parseKeyText(text: string): SecretBytes {
  return asUsage(() => parseKpsaText(text, '--key-file'))
}

/** `--bind`: an Absolute AE-ID (`//sp/Sx`, `//sp/cse/Cx`) or CSE-ID (`//sp/cse`). */
export function parseBind(text: string): BoundEntity {
  return asUsage(() => parseBindText(text, '--bind'))
}

function printKpsa(view: KpsaView): void {
  console.log(JSON.stringify({ identity: view.identity, credentialId: view.credentialId, ...(view.boundEntity ? { bound: view.boundEntity.ids } : {}) }))
}

function kpsaRow(v: KpsaView): string[] {
  return [v.identity, v.status, v.boundEntity?.ids.join(' ') ?? '-', v.source, v.expiresAt?.toISOString() ?? '-']
}

/** Adds `psk add|list|revoke|remove` to `program`. */
export function registerPskCommands(program: Command, deps: OperatorCommandDeps = {}): void {
  const psk = program.command('psk').description('locally provisioned Kpsa for the gateway PSK SAEF')
  addServerOptions(psk
    .command('add')
    .description('store a Kpsa (sealed) under its KpsaID')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID devices send as psk_identity')
    .requiredOption('--key-file <file>', 'file holding the Kpsa (hex or base64:…)')
    .option('--bind <id>', 'Absolute AE-ID or CSE-ID the association is bound to'))
    .action(async (o: PskAddOptions) => {
      const identity = asUsage(() => parseKpsaIdentity(o.identity, '--identity'))
      const bind = o.bind === undefined ? undefined : { text: o.bind, entity: parseBind(o.bind) }
      const backend = pskBackend(deps, o)
      const key = parseKeyText(readFileSync(o.keyFile, 'utf8'))
      printKpsa(await backend.add({ identity, key, ...(bind === undefined ? {} : { bind }) }))
    })
  addServerOptions(psk
    .command('list')
    .description('list the gateway Kpsa credentials: KpsaID, status, bound entity, source, expiry (never the key)')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--limit <n>', 'credentials per page (1-1000, default 100)', parseLimit)
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'print { items, nextCursor } as JSON', false))
    .action(async (o: RemoteOptions & { limit?: number; cursor?: string; json: boolean }) => {
      const page = await pskBackend(deps, o).list({ ...(o.limit === undefined ? {} : { limit: o.limit }), ...(o.cursor === undefined ? {} : { cursor: o.cursor }) })
      if (o.json) return void console.log(JSON.stringify(page))
      console.log(formatTable(['KPSA-ID', 'STATUS', 'BOUND', 'SOURCE', 'EXPIRES'], page.items.map(kpsaRow)))
      if (page.nextCursor !== undefined) console.log(`more: --cursor '${page.nextCursor}'`)
    })
  addServerOptions(psk
    .command('remove')
    .description('remove a Kpsa')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID'))
    .action(async (o: RemoteOptions & { identity: string }) => {
      await pskBackend(deps, o).remove(o.identity)
      console.log(JSON.stringify({ removed: o.identity }))
    })
  addServerOptions(psk
    .command('revoke')
    .description('revoke a Kpsa: its next handshake fails, and a running gateway cuts its live sessions within --session-recheck-ms')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID'))
    .action(async (o: RemoteOptions & { identity: string }) => {
      const revoked = await pskBackend(deps, o).revoke(o.identity)
      console.log(JSON.stringify({ revoked: o.identity, credentialId: revoked.credentialId }))
    })
}
