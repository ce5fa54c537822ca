/**
 * The commands `m2msec up` suggests once it listens: a newcomer's first enrolment, end to end
 * against the roles just started — a pre-provisioned Kpm (TS-0003 8.3.2.1) registered with
 * `enrolee add`, `enrol` at the MEF towards the MAF (SUID 21), then `maf register` with the new
 * KeID (the MAF fetches Km from the MEF). Each line is a complete shell command that works as
 * printed (the integration test runs them). The Kpm is made on the spot into a 0600 file and
 * never printed; the device name is fresh per start, so running the lines again never collides.
 * Device files go under `<data>/devices/`, which is git-ignored with the data directory, so a
 * newcomer trying this in a clone never leaves a Kpm in the working tree.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { DEV_DOMAIN } from './dev-domain.js'
import type { RoleName, RunningRole } from './role-registry.js'

/** AE registration as the newcomer's device sends it (TS-0004 §7.3.5.2.1; `api` N-prefixed: a non-registered App-ID). */
const DEMO_APP_ID = 'Nm2msec-demo'

/** 32 random bytes as hex on stdout: a key made on the spot, never printed. */
const MAKE_KEY = `node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))"`

export function newDeviceName(): string {
  return `dev-${randomBytes(2).toString('hex')}`
}

/** POSIX-shell quoting, only when needed (paths with spaces). */
function quote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

/**
 * Shell lines to try next, or none when the MEF or the MAF is not running.
 * @param dataDir the data directory as the user gave it (relative paths stay relative).
 */
export function nextSteps(dataDir: string, running: ReadonlyMap<RoleName, RunningRole>, device = newDeviceName()): string[] {
  const mef = running.get('mef')
  const maf = running.get('maf')
  const gateway = running.get('gateway')
  if (mef === undefined || maf === undefined) return []
  const kpmId = `${device}@${mef.fqdn}`
  const deviceDir = quote(join(dataDir, 'devices', device))
  const kpmFile = quote(join(dataDir, 'devices', device, 'kpm.hex'))
  const credentialFile = quote(join(dataDir, 'devices', device, 'credential.json'))
  return [
    `mkdir -p ${deviceDir} && (umask 077 && ${MAKE_KEY} > ${kpmFile})`,
    [
      'npx m2msec enrolee add', '--data-dir', quote(dataDir), '--kpm-id', kpmId, '--kpm-file', kpmFile,
      '--enrolee-id', `//${DEV_DOMAIN}/S${device.replace(/-/g, '')}`, '--expiry', '30d', '--target', `21:${maf.fqdn}`,
      // The gateway is an Enrolment Target too (SUID 22): `enrol --enrolee-b-id <its CSE-ID>` then works for this device.
      ...(gateway?.registrar === undefined ? [] : ['--target', `22:${gateway.registrar.cseId}`]),
    ].join(' '),
    [
      'npx m2msec enrol', '--mef', mef.url, '--mef-fqdn', mef.fqdn, '--kpm-id', kpmId, '--kpm-file', kpmFile,
      '--maf-id', maf.fqdn, '--credential-file', credentialFile,
    ].join(' '),
    ['npx m2msec maf register', '--maf-url', maf.url, '--maf-fqdn', maf.fqdn, '--credential-file', credentialFile, '--admin-fqdn', DEV_DOMAIN].join(' '),
  ]
}

/** A raw HTTP/1.1 AE registration (TS-0009 §6.2, ty=2) to type into a TLS session, as a printf format. */
function rawAeRegistration(host: string, cseBaseName: string, aeStem: string): string {
  const body = JSON.stringify({ 'm2m:ae': { rn: aeStem.slice(1), api: DEMO_APP_ID, rr: false, srv: ['3'] } })
  const lines = [
    `POST /${cseBaseName} HTTP/1.1`, `Host: ${host}`, `X-M2M-Origin: ${aeStem}`, 'X-M2M-RI: newcomer-1', 'X-M2M-RVI: 3',
    'Accept: application/json', 'Content-Type: application/json;ty=2', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body,
  ]
  return lines.join('\\r\\n')
}

/**
 * Shell lines that register an AE through the gateway (TS-0003 8.2.2.1 PSK SAEF), or none when
 * the gateway is not running: a Kpsa made into a 0600 file, `psk add` bound to the AE-ID
 * `<CSE-ID>/C<device>` (so the gateway admits exactly that AE, D-131), and `openssl s_client`
 * typing a raw HTTP registration to `/<CSEBase>` into the TLS-PSK session; the answer is `201`
 * with `X-M2M-RSC: 2001`. CSE-ID and CSEBase are those of the Registrar the gateway fronts: the
 * reference CSE, or the outside one of `gateway.upstream` (D-178), which then holds the AE.
 * openssl takes the PSK on its command line (its only way), hence a throwaway key made for this try.
 */
export function gatewaySteps(dataDir: string, running: ReadonlyMap<RoleName, RunningRole>, device = newDeviceName()): string[] {
  const gateway = running.get('gateway')
  if (gateway?.registrar === undefined) return []
  const identity = `${device}@psk.${DEV_DOMAIN}`
  const aeStem = `C${device.replace(/-/g, '')}`
  const deviceDir = quote(join(dataDir, 'devices', device))
  const kpsaFile = quote(join(dataDir, 'devices', device, 'kpsa.hex'))
  const request = rawAeRegistration(gateway.fqdn, gateway.registrar.cseBaseName, aeStem)
  return [
    `mkdir -p ${deviceDir} && (umask 077 && ${MAKE_KEY} > ${kpsaFile})`,
    ['npx m2msec psk add', '--data-dir', quote(dataDir), '--identity', identity, '--key-file', kpsaFile, '--bind', `${gateway.registrar.cseId}/${aeStem}`].join(' '),
    [
      `printf '${request}'`, '|', 'openssl s_client -quiet -tls1_2 -cipher PSK-AES128-CBC-SHA256', '-connect', new URL(gateway.url).host,
      '-servername', gateway.fqdn, '-psk_identity', identity, '-psk', `"$(cat ${kpsaFile})"`,
    ].join(' '),
  ]
}
