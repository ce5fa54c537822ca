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
import { DEV_DOMAIN, type RoleName, type RunningRole } from './role-registry.js'

/** POSIX-shell quoting, only when needed (paths with spaces). */
function quote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

/**
 * Shell lines to try next, or none when the MEF or the MAF is not running.
 * @param dataDir the data directory as the user gave it (relative paths stay relative).
 */
export function nextSteps(dataDir: string, running: ReadonlyMap<RoleName, RunningRole>, device = `dev-${randomBytes(2).toString('hex')}`): string[] {
  const mef = running.get('mef')
  const maf = running.get('maf')
  if (mef === undefined || maf === undefined) return []
  const kpmId = `${device}@${mef.fqdn}`
  const deviceDir = quote(join(dataDir, 'devices', device))
  const kpmFile = quote(join(dataDir, 'devices', device, 'kpm.hex'))
  const credentialFile = quote(join(dataDir, 'devices', device, 'credential.json'))
  const makeKpm = `node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))"`
  return [
    `mkdir -p ${deviceDir} && (umask 077 && ${makeKpm} > ${kpmFile})`,
    [
      'npx m2msec enrolee add', '--data-dir', quote(dataDir), '--kpm-id', kpmId, '--kpm-file', kpmFile,
      '--enrolee-id', `//${DEV_DOMAIN}/S${device.replace(/-/g, '')}`, '--expiry', '30d', '--target', `21:${maf.fqdn}`,
    ].join(' '),
    [
      'npx m2msec enrol', '--mef', mef.url, '--mef-fqdn', mef.fqdn, '--kpm-id', kpmId, '--kpm-file', kpmFile,
      '--maf-id', maf.fqdn, '--credential-file', credentialFile,
    ].join(' '),
    ['npx m2msec maf register', '--maf-url', maf.url, '--maf-fqdn', maf.fqdn, '--credential-file', credentialFile, '--admin-fqdn', DEV_DOMAIN].join(' '),
  ]
}
