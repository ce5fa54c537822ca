/**
 * `m2msec key register|retrieve|update|deregister`: the MEF key procedures (TS-0003
 * §8.3.5.2.7–§8.3.5.2.10) for an enrolled device, using its sealed credential file for the MEF
 * Handshake (Kpm, or the certificate files it names) and to keep the keys it registers or
 * retrieves (sealed). Prints Key Identifiers — never key bytes, except that `retrieve --show-key`
 * writes the key as hex into the 0600 file named by `--key-out`.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import {
  ClientError, deregisterMefKey, openMefSession, readCredentialFile, readPrivateFile, registerMefKey, retrieveMefKey, updateMefKeyRegistration,
  writeCredentialFile, writePrivateFile, type DeviceCredential, type MefCredential, type MefKeyRegistration, type MefSession, type StoredMefKey,
} from '../../client/index.js'
import { toHex } from '../../core/index.js'
import { DEFAULT_CREDENTIAL_FILE, parseLifetime, readKeyFile } from './enrol.js'
import { collect } from '../options.js'

interface CommonOptions {
  readonly credentialFile: string
  readonly json: boolean
}

function usage(message: string): ClientError {
  return new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', message)
}

function mefCredential(device: DeviceCredential): MefCredential {
  const h = device.handshake
  if (h.kind === 'psk') {
    if (device.kpm === undefined) throw usage('the credential file holds no Kpm for the MEF Handshake')
    return { kind: 'psk', kpmId: h.kpmId, kpm: device.kpm }
  }
  const key = readPrivateFile(h.keyFile, 'device key file', 65536)
  if (key === undefined) throw usage(`device key file ${h.keyFile} does not exist`)
  return { kind: 'certificate', certPem: readFileSync(h.certFile, 'utf8'), keyPem: Buffer.from(key).toString('utf8'), mefCaPem: readFileSync(h.mefCaFile, 'utf8') }
}

/** Reads the credential file, runs `work` on a session with its MEF, writes the file back when `work` returns a new one. */
async function withSession(options: CommonOptions, work: (session: MefSession, device: DeviceCredential) => Promise<DeviceCredential | undefined>): Promise<void> {
  const path = resolve(options.credentialFile)
  const device = readCredentialFile(path)
  const session = await openMefSession({ mefUrl: device.mefUrl, mefFqdn: device.mefFqdn, credential: mefCredential(device), originator: device.registration.clientId })
  try {
    const updated = await work(session, device)
    if (updated !== undefined) writeCredentialFile(path, updated, { overwrite: true })
  } finally {
    session.close()
  }
}

function print(options: CommonOptions, json: object, lines: readonly string[]): void {
  if (options.json) console.log(JSON.stringify(json))
  else for (const line of lines) console.log(line)
}

function describe(reg: MefKeyRegistration): string[] {
  return [
    `Key Identifier    ${reg.keyIdentifier}`,
    `SUID              ${reg.suid}`,
    `source client ID  ${reg.sourceClientId}`,
    `targets           ${reg.targetIds.join(', ') || '-'}`,
    `expires           ${reg.expiry}`,
  ]
}

function publicPart(reg: MefKeyRegistration): object {
  return { keyIdentifier: reg.keyIdentifier, suid: reg.suid, sourceClientId: reg.sourceClientId, targetIds: reg.targetIds, expiry: reg.expiry, adminFqdn: reg.adminFqdn }
}

function stored(reg: MefKeyRegistration & { readonly key: StoredMefKey['key'] }, role: StoredMefKey['role']): StoredMefKey {
  return { keyIdentifier: reg.keyIdentifier, role, suid: reg.suid, expiry: reg.expiry, targetIds: reg.targetIds, sourceClientId: reg.sourceClientId, key: reg.key }
}

function withKey(device: DeviceCredential, key: StoredMefKey): DeviceCredential {
  return { ...device, keys: [...device.keys.filter((k) => k.keyIdentifier !== key.keyIdentifier), key] }
}

function common(command: Command): Command {
  return command
    .option('--credential-file <file>', 'sealed device credential file', DEFAULT_CREDENTIAL_FILE)
    .option('--json', 'print the result as JSON', false)
}

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('MEF key procedures: register, retrieve, update, deregister a symmetric key')

  common(key.command('register'))
    .description('MEF Key Registration: the key is this session\'s TLS export, or --key-file')
    .requiredOption('--suid <n>', 'SUID of the key (21–25)', (v) => Number(v))
    .option('--target-id <id>', 'authorised Target MEF Client (repeatable)', collect)
    .option('--admin-fqdn <fqdn>', 'adminFQDN (default: the registration\'s)')
    .option('--lifetime <duration>', 'requested key lifetime, e.g. 24h', parseLifetime)
    .option('--label <label>', 'label (repeatable)', collect)
    .option('--key-file <file>', 'self-generated 32-byte key (hex text or raw, mode 0600) sent as kyv')
    .action(async (o: CommonOptions & { suid: number; targetId?: string[]; adminFqdn?: string; lifetime?: number; label?: string[]; keyFile?: string }) =>
      withSession(o, async (session, device) => {
        const registered = await registerMefKey(session, {
          adminFqdn: o.adminFqdn ?? device.registration.adminFqdn, suid: o.suid,
          ...(o.targetId === undefined ? {} : { targetIds: o.targetId }),
          ...(o.lifetime === undefined ? {} : { lifetimeMs: o.lifetime }),
          ...(o.label === undefined ? {} : { labels: o.label }),
          ...(o.keyFile === undefined ? {} : { key: readKeyFile(o.keyFile, 'key file') }),
        })
        print(o, { ...publicPart(registered), exported: registered.exported }, describe(registered))
        return withKey(device, stored(registered, 'source'))
      }))

  common(key.command('retrieve <key-identifier>'))
    .description('MEF Key Retrieval by a Target: fetch the key a Source registered for this device')
    .option('--show-key', 'write the key (hex) to the file given by --key-out', false)
    .option('--key-out <file>', 'file for --show-key, created with mode 0600')
    .action(async (keyIdentifier: string, o: CommonOptions & { showKey: boolean; keyOut?: string }) => {
      if (o.showKey !== (o.keyOut !== undefined)) throw usage('--show-key and --key-out go together')
      await withSession(o, async (session, device) => {
        const retrieved = await retrieveMefKey(session, keyIdentifier)
        if (o.keyOut !== undefined) writePrivateFile(resolve(o.keyOut), 'key file', Buffer.from(`${toHex(retrieved.key.reveal())}\n`, 'latin1'), false)
        print(o, publicPart(retrieved), [...describe(retrieved), ...(o.keyOut === undefined ? [] : [`key written to    ${resolve(o.keyOut)}`])])
        return withKey(device, stored(retrieved, 'target'))
      })
    })

  common(key.command('update <key-identifier>'))
    .description('MEF Key Registration Update: expiry, labels and/or targets')
    .option('--lifetime <duration>', 'new lifetime from now', parseLifetime)
    .option('--label <label>', 'labels (repeatable; replaces the list)', collect)
    .option('--target-id <id>', 'targets (repeatable; replaces the list)', collect)
    .action(async (keyIdentifier: string, o: CommonOptions & { lifetime?: number; label?: string[]; targetId?: string[] }) =>
      withSession(o, async (session, device) => {
        const changes = await updateMefKeyRegistration(session, keyIdentifier, {
          ...(o.lifetime === undefined ? {} : { lifetimeMs: o.lifetime }),
          ...(o.label === undefined ? {} : { labels: o.label }),
          ...(o.targetId === undefined ? {} : { targetIds: o.targetId }),
        })
        print(o, changes, [`updated           ${keyIdentifier}`, ...(changes.expiry ? [`expires           ${changes.expiry}`] : []), ...(changes.targetIds ? [`targets           ${changes.targetIds.join(', ')}`] : [])])
        const known = device.keys.find((k) => k.keyIdentifier.toUpperCase() === keyIdentifier.toUpperCase())
        return known === undefined ? undefined : withKey(device, { ...known, ...(changes.expiry ? { expiry: changes.expiry } : {}), ...(changes.targetIds ? { targetIds: changes.targetIds } : {}) })
      }))

  common(key.command('deregister <key-identifier>'))
    .description('MEF Key De-Registration')
    .action(async (keyIdentifier: string, o: CommonOptions) =>
      withSession(o, async (session, device) => {
        await deregisterMefKey(session, keyIdentifier)
        print(o, { deregistered: keyIdentifier }, [`deregistered      ${keyIdentifier}`])
        const rest = device.keys.filter((k) => k.keyIdentifier.toUpperCase() !== keyIdentifier.toUpperCase())
        return rest.length === device.keys.length ? undefined : { ...device, keys: rest }
      }))
}
