/**
 * `m2msec psk add | remove | revoke`: a locally provisioned Kpsa for the gateway's PSK SAEF (TS-0003
 * 8.2.2.1 credential configuration at Entity B; frameworks.md §5: KpsaID → Kpsa, peer identity).
 * The key is read from a file (hex, or `base64:`), stored sealed with usage 'saef', and never
 * printed; `--bind` names the Absolute AE-ID or CSE-ID the association is bound to, without it
 * the Credential-ID `12-<KpsaID>` is resolved through the rules at registration. `revoke` keeps
 * the row but fails its next handshake; a running gateway cuts its live sessions at its next recheck.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { SecretBytes } from '../../core/index.js'
import { addKpsa, parseBind as parseBindText, parseKeyText as parseKpsaText, parseKpsaIdentity, removeKpsa, revokeKpsa } from '../../services/gateway/index.js'
import type { BoundEntity } from '../../store/index.js'
import { asUsage } from './rule.js'
import { DEFAULT_DATA_DIR, withStore } from './enrolee.js'

interface PskAddOptions {
  readonly dataDir: string
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

export function registerPskCommands(program: Command): void {
  const psk = program.command('psk').description('locally provisioned Kpsa for the gateway PSK SAEF')
  psk
    .command('add')
    .description('store a Kpsa (sealed) under its KpsaID')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID devices send as psk_identity')
    .requiredOption('--key-file <file>', 'file holding the Kpsa (hex or base64:…)')
    .option('--bind <id>', 'Absolute AE-ID or CSE-ID the association is bound to')
    .action(async (o: PskAddOptions) => {
      const identity = asUsage(() => parseKpsaIdentity(o.identity, '--identity'))
      const key = parseKeyText(readFileSync(o.keyFile, 'utf8'))
      if (o.bind !== undefined) parseBind(o.bind)
      const added = await withStore({}, o.dataDir, true, (store) => addKpsa(store, { identity, key, ...(o.bind === undefined ? {} : { bind: o.bind }) }))
      console.log(JSON.stringify({ identity, credentialId: added.credentialId, ...(added.boundEntity ? { bound: added.boundEntity.ids } : {}) }))
    })
  psk
    .command('remove')
    .description('remove a Kpsa')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID')
    .action(async (o: { dataDir: string; identity: string }) => {
      await withStore({}, o.dataDir, false, (store) => removeKpsa(store, o.identity))
      console.log(JSON.stringify({ removed: o.identity }))
    })
  psk
    .command('revoke')
    .description('revoke a Kpsa: its next handshake fails, and a running gateway cuts its live sessions within --session-recheck-ms')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID')
    .action(async (o: { dataDir: string; identity: string }) => {
      const revoked = await withStore({}, o.dataDir, false, (store) => revokeKpsa(store, o.identity))
      console.log(JSON.stringify({ revoked: o.identity, credentialId: revoked.credentialId }))
    })
}
