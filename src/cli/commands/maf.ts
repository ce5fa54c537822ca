/**
 * `m2msec maf …`: the device side of the MAF procedures (TS-0003 8.8.2.3–8.8.2.10) over one MAF
 * session: `register`, `deregister`, `key register|retrieve|update|deregister`. The MAF Handshake
 * uses a KmID with Km (`--psk-identity`, `--psk-file`), a KeID with the key derived from Ke for
 * the MAF (`--psk-identity <KeID> --ke-file … --mode …`, OQ-29), the sealed credential file of
 * an enrolment whose target is this MAF (`--credential-file`: its KeID, or the assigned KmID
 * given as `--psk-identity`, with the key derived at enrolment), or a certificate. Results are
 * JSON on stdout; a key (Kc) only ever goes to a new 0600 file (`--key-out`), never to stdout.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { SecretBytes, TARGET_KEY_MODES, fromHex, toHex, type TargetKeyMode } from '../../core/index.js'
import { ClientError, readCredentialFile } from '../../client/index.js'
import {
  mafDeregister, mafKeyDeregister, mafKeyFromEnrolment, mafKeyRegister, mafKeyRetrieve, mafKeyUpdate, mafRegister, openMafSession,
  type MafCredential, type MafSession,
} from '../../client/maf/index.js'
import { collect } from '../options.js'

interface SessionOptions {
  readonly mafUrl: string
  readonly mafFqdn?: string
  readonly pskIdentity?: string
  readonly pskFile?: string
  readonly keFile?: string
  readonly credentialFile?: string
  readonly mode: string
  readonly cert?: string
  readonly key?: string
  readonly mafCa?: string
  readonly originator?: string
}

const HOUR = 3_600_000


/** A usage error: coded, so main prints `m2msec: … [code]` and exits 1. */
function usage(message: string): ClientError {
  return new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', message)
}

/** A 32-byte key from a file holding its hex (whitespace ignored). */
function readKeyFile(path: string, what: string): SecretBytes {
  const text = readFileSync(path, 'utf8').replace(/\s+/g, '')
  if (!/^[0-9A-Fa-f]{64}$/.test(text)) throw usage(`${what} file must hold 64 hex digits (32 bytes)`)
  return new SecretBytes(fromHex(text))
}

/**
 * The PSK of an enrolment whose Enrolment Target is this MAF (frameworks.md §10.5 a): the key
 * the device derived at enrolment, under its KeID or — after MAF Client Registration — under the
 * KmID the MAF assigned (OQ-7), which the caller passes as `--psk-identity`.
 */
function enrolmentCredential(path: string, identity: string | undefined, fqdn: string): MafCredential {
  const device = readCredentialFile(resolve(path))
  device.ke.wipe()
  device.kpm?.wipe()
  if (!('mafId' in device.target) || device.target.mafId.toLowerCase() !== fqdn.toLowerCase()) {
    device.targetKey.wipe()
    throw usage(`the enrolment in ${path} is not for the MAF ${fqdn}: enrol with --maf-id ${fqdn}`)
  }
  return { kind: 'psk', identity: identity ?? device.keId, key: device.targetKey }
}

function credentialOf(o: SessionOptions, fqdn: string): MafCredential {
  const sources = [o.cert !== undefined || o.key !== undefined, o.credentialFile !== undefined, o.pskFile !== undefined, o.keFile !== undefined]
  if (sources.filter(Boolean).length > 1) throw usage('give one of --cert/--key, --credential-file, --psk-file and --ke-file')
  if (o.cert !== undefined || o.key !== undefined) {
    if (o.cert === undefined || o.key === undefined || o.mafCa === undefined) throw usage('a certificate session needs --cert, --key and --maf-ca')
    return { kind: 'certificate', certPem: readFileSync(o.cert, 'utf8'), keyPem: readFileSync(o.key, 'utf8'), mafCaPem: readFileSync(o.mafCa, 'utf8') }
  }
  if (o.credentialFile !== undefined) return enrolmentCredential(o.credentialFile, o.pskIdentity, fqdn)
  if (o.pskIdentity === undefined) throw usage('give --psk-identity with --psk-file or --ke-file, --credential-file, or --cert/--key/--maf-ca')
  if (o.keFile !== undefined) {
    if (!TARGET_KEY_MODES.includes(o.mode as TargetKeyMode)) throw usage(`--mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
    const ke = readKeyFile(o.keFile, '--ke-file')
    try {
      return { kind: 'psk', identity: o.pskIdentity, key: mafKeyFromEnrolment(ke, fqdn, o.mode as TargetKeyMode) }
    } finally {
      ke.wipe()
    }
  }
  if (o.pskFile === undefined) throw usage('--psk-identity needs --psk-file (Km) or --ke-file (Ke)')
  return { kind: 'psk', identity: o.pskIdentity, key: readKeyFile(o.pskFile, '--psk-file') }
}

async function withSession<T>(o: SessionOptions, work: (session: MafSession) => Promise<T>): Promise<void> {
  const fqdn = o.mafFqdn ?? new URL(o.mafUrl).hostname
  const session = await openMafSession({
    mafUrl: o.mafUrl, mafFqdn: fqdn, credential: credentialOf(o, fqdn), ...(o.originator === undefined ? {} : { originator: o.originator }),
  })
  try {
    console.log(JSON.stringify(await work(session)))
  } finally {
    session.close()
  }
}

/** Writes a key's hex to a file that must not exist yet, readable by the owner only. */
function writeKeyFile(path: string, key: SecretBytes): void {
  writeFileSync(path, `${toHex(key.reveal())}\n`, { mode: 0o600, flag: 'wx' })
}

function sessionOptions(command: Command): Command {
  return command
    .requiredOption('--maf-url <url>', 'https URL of the MAF')
    .option('--maf-fqdn <fqdn>', 'MAF-FQDN (default: the URL host)')
    .option('--psk-identity <id>', 'KmID, or KeID before the MAF assigned a KmID')
    .option('--psk-file <file>', 'file holding Km as 64 hex digits')
    .option('--credential-file <file>', 'sealed device credential file of an enrolment for this MAF (`m2msec enrol --maf-id`): its KeID, or --psk-identity <assigned KmID>, with its key')
    .option('--ke-file <file>', 'file holding Ke as 64 hex digits: the PSK is derived for the MAF (SUID 21)')
    .option('--mode <mode>', `target key mode with --ke-file: ${TARGET_KEY_MODES.join(' | ')}`, 'usage-constrained')
    .option('--cert <file>', 'device certificate (PEM) for a certificate MAF Handshake')
    .option('--key <file>', 'its private key (PEM)')
    .option('--maf-ca <file>', 'trust anchor of the MAF certificate (PEM)')
    .option('--originator <id>', 'fr of the requests (default: 11-<psk identity> or the certificate AE-ID/CSE-ID)')
}

function inHours(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined
  const hours = Number(text)
  if (!(hours > 0)) throw usage(`a lifetime must be a positive number of hours, got '${text}'`)
  return new Date(Date.now() + hours * HOUR)
}

export function registerMafCommands(program: Command): void {
  const maf = program.command('maf').description('MAF Client procedures (TS-0003 8.8.2): registration and key brokering')
  sessionOptions(maf.command('register').description('MAF Client Registration (prints the registration, incl. an assigned KmID)'))
    .requiredOption('--admin-fqdn <fqdn>', 'administrating stakeholder')
    .option('--lifetime-hours <hours>', 'proposed registration lifetime')
    .option('--label <label>', 'label (repeatable)', collect)
    .action((o: SessionOptions & { adminFqdn: string; lifetimeHours?: string; label?: string[] }) => withSession(o, async (s) => {
      const expiresAt = inHours(o.lifetimeHours)
      const reg = await mafRegister(s, { adminFqdn: o.adminFqdn, ...(expiresAt ? { expiresAt } : {}), ...(o.label ? { labels: o.label } : {}) })
      return { regId: reg.regId, clientId: reg.clientId, adminFqdn: reg.adminFqdn, expiresAt: reg.expiresAt.toISOString(), assignedKmId: reg.assignedKmId ?? null }
    }))
  sessionOptions(maf.command('deregister').description('MAF Client De-Registration'))
    .requiredOption('--reg-id <id>', 'mafClientRegID')
    .action((o: SessionOptions & { regId: string }) => withSession(o, async (s) => (await mafDeregister(s, o.regId), { deregistered: o.regId })))

  const key = maf.command('key').description('MAF key procedures (Kc for MAF-Based SAEF and E2E)')
  sessionOptions(key.command('register').description('MAF Key Registration: Kc from this session (written to --key-out), Key Identifier printed'))
    .requiredOption('--admin-fqdn <fqdn>', 'administrating stakeholder')
    // No default list: with `[]` commander counts the option as given and an empty target list would pass.
    .requiredOption('--target <id>', 'IdB: Absolute AE-ID/CSE-ID allowed to retrieve the key (repeatable, at least one)', collect)
    .requiredOption('--key-out <file>', 'new file for Kc (hex, 0600)')
    .option('--suid <n>', 'm2m:suid 32–35', '32')
    .option('--lifetime-hours <hours>', 'proposed key lifetime')
    .action((o: SessionOptions & { adminFqdn: string; target: string[]; keyOut: string; suid: string; lifetimeHours?: string }) => withSession(o, async (s) => {
      const expiresAt = inHours(o.lifetimeHours)
      const reg = await mafKeyRegister(s, { adminFqdn: o.adminFqdn, suid: Number(o.suid), targetIds: o.target, ...(expiresAt ? { expiresAt } : {}) })
      writeKeyFile(o.keyOut, reg.key)
      reg.key.wipe()
      return { keyIdentifier: reg.keyIdentifier, expiresAt: reg.expiresAt.toISOString(), suid: reg.suid, targetIds: reg.targetIds, clientId: reg.clientId }
    }))
  sessionOptions(key.command('retrieve').description('MAF Key Retrieval by a Target: Kc written to --key-out'))
    .requiredOption('--key-id <id>', 'Key Identifier (RelativeKeyID@MAF-FQDN)')
    .requiredOption('--key-out <file>', 'new file for Kc (hex, 0600)')
    .option('--suid <n>', 'SUID of the security feature that presented the Key Identifier', '32')
    .action((o: SessionOptions & { keyId: string; keyOut: string; suid: string }) => withSession(o, async (s) => {
      const got = await mafKeyRetrieve(s, o.keyId, Number(o.suid))
      writeKeyFile(o.keyOut, got.key)
      got.key.wipe()
      return { keyIdentifier: got.keyIdentifier, expiresAt: got.expiresAt.toISOString(), suid: got.suid, sourceClientId: got.sourceClientId, adminFqdn: got.adminFqdn }
    }))
  sessionOptions(key.command('update').description('MAF Key Registration Update'))
    .requiredOption('--key-id <id>', 'Key Identifier')
    .option('--lifetime-hours <hours>', 'proposed new lifetime from now')
    .option('--target <id>', 'new target list entry (repeatable)', collect)
    .option('--label <label>', 'new label list entry (repeatable)', collect)
    .action((o: SessionOptions & { keyId: string; lifetimeHours?: string; target?: string[]; label?: string[] }) => withSession(o, async (s) => {
      const expiresAt = inHours(o.lifetimeHours)
      const changed = await mafKeyUpdate(s, o.keyId, { ...(expiresAt ? { expiresAt } : {}), ...(o.target ? { targetIds: o.target } : {}), ...(o.label ? { labels: o.label } : {}) })
      return { keyIdentifier: o.keyId, ...(changed.expiresAt ? { expiresAt: changed.expiresAt.toISOString() } : {}), ...(changed.targetIds ? { targetIds: changed.targetIds } : {}), ...(changed.labels ? { labels: changed.labels } : {}) }
    }))
  sessionOptions(key.command('deregister').description('MAF Key De-Registration'))
    .requiredOption('--key-id <id>', 'Key Identifier')
    .action((o: SessionOptions & { keyId: string }) => withSession(o, async (s) => (await mafKeyDeregister(s, o.keyId), { deregistered: o.keyId })))
}
