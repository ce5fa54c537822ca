/**
 * `m2msec psk add | remove`: a locally provisioned Kpsa for the gateway's PSK SAEF (TS-0003
 * 8.2.2.1 credential configuration at Entity B; frameworks.md §5: KpsaID → Kpsa, peer identity).
 * The key is read from a file (hex, or `base64:`), stored sealed with usage 'saef', and never
 * printed; `--bind` names the Absolute AE-ID or CSE-ID the association is bound to, without it
 * the Credential-ID `12-<KpsaID>` is resolved through the rules at registration.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { SecretBytes, credentialIdForKpsaId, fromHex, parseAeId, parseCseId, parseKpsaId } from '../../core/index.js'
import type { BoundEntity } from '../../store/index.js'
import { UsageError } from '../options.js'
import { DEFAULT_DATA_DIR, withStore } from './enrolee.js'

interface PskAddOptions {
  readonly dataDir: string
  readonly identity: string
  readonly keyFile: string
  readonly bind?: string
}

/** A Kpsa of 16–64 bytes from the text of a key file: hex (optionally `hex:`) or `base64:`. */
export function parseKeyText(text: string): SecretBytes {
  const t = text.trim()
  const bytes = t.startsWith('base64:') ? new Uint8Array(Buffer.from(t.slice(7), 'base64')) : /^(hex:)?([0-9A-Fa-f]{2})+$/.test(t) ? fromHex(t.replace(/^hex:/, '')) : undefined
  if (bytes === undefined || bytes.length < 16 || bytes.length > 64) throw new UsageError('--key-file must hold 16–64 bytes as hex or base64:…')
  return new SecretBytes(bytes)
}

function absolute(parse: (text: string) => { form: string }, text: string): boolean {
  try {
    return parse(text).form === 'absolute'
  } catch {
    return false
  }
}

/** `--bind`: an Absolute AE-ID (`//sp/Sx`, `//sp/cse/Cx`) or CSE-ID (`//sp/cse`). */
export function parseBind(text: string): BoundEntity {
  if (absolute(parseAeId, text)) return { kind: 'ae', ids: [text] }
  if (absolute(parseCseId, text)) return { kind: 'cse', ids: [text] }
  throw new UsageError(`--bind must be an Absolute AE-ID or CSE-ID, got '${text}'`)
}

function normalIdentity(text: string): string {
  let kpsaId
  try {
    kpsaId = parseKpsaId(text)
  } catch {
    throw new UsageError(`--identity is not a KpsaID (relative@issuer-fqdn), got '${text}'`)
  }
  // The device sends its KpsaID byte for byte: refuse rather than rewrite (as D-85 for KpmIDs).
  if (kpsaId !== text) throw new UsageError(`--identity must be in normal form (hex upper case, FQDN lower case): '${kpsaId}'`)
  return kpsaId
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
      const identity = normalIdentity(o.identity)
      const key = parseKeyText(readFileSync(o.keyFile, 'utf8'))
      const boundEntity = o.bind === undefined ? undefined : parseBind(o.bind)
      const credentialId = credentialIdForKpsaId(parseKpsaId(identity))
      await withStore({}, o.dataDir, true, (store) => store.transaction((tx) => tx.pskCredentials.put({
        usage: 'saef', identity, key, owner: { kind: 'configured', ref: identity }, credentialId, ...(boundEntity ? { boundEntity } : {}),
      })))
      key.wipe()
      console.log(JSON.stringify({ identity, credentialId, ...(boundEntity ? { bound: boundEntity.ids } : {}) }))
    })
  psk
    .command('remove')
    .description('remove a Kpsa')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--identity <kpsaId>', 'the KpsaID')
    .action(async (o: { dataDir: string; identity: string }) => {
      await withStore({}, o.dataDir, false, (store) => store.transaction((tx) => tx.pskCredentials.delete('saef', o.identity)))
      console.log(JSON.stringify({ removed: o.identity }))
    })
}
