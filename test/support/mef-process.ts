/**
 * `m2msec serve mef` as a real child process for integration and interop tests (STYLE.md §7):
 * spawned with `process.execPath` on the built CLI, port 0, the JSON ready line read from
 * stdout, SIGTERM in `t.after` (SIGKILL after a grace period) with its exit status checked.
 * Also: the test PKI of an MEF deployment, `runCli` for one-shot operator commands against the
 * same data directory, `assertNoSecrets` over captured output and the data directory's
 * database files, and `fetchCredentialsAs`: a Target's fetchCredentials over mutual TLS.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OPERATION, fetchCredentialsTo, readFetchCredentialsResult, type FetchCredentialsResult } from '../../src/onem2m/index.js'
import { connectCertificate, createOneM2mClient } from '../../src/transport/index.js'
import { createTestPki, tempDir, type Pem, type TestSan } from './tls-fixtures.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')

export const MEF_FQDN = 'mef.example.com'
export const REGISTRAR_ID = '//m2m.example.com/CSE-B01'
export const REGISTRAR_FQDN = 'cse-b01.m2m.example.com'
export const OTHER_REGISTRAR_ID = '//m2m.example.com/CSE-B02'
export const OTHER_REGISTRAR_FQDN = 'cse-b02.m2m.example.com'

type After = { after: (fn: () => void | Promise<void>) => void }

export interface MefPki {
  readonly mefCa: Pem
  readonly mef: Pem
  readonly targetCa: Pem
  readonly registrar: Pem
  readonly otherRegistrar: Pem
  readonly deviceCa: Pem
  readonly device: Pem
  readonly untrustedDevice: Pem
  /** Another client certificate under the device CA (the one `serve mef --enrolee-ca` trusts). */
  issueDevice(subject: string, san: TestSan): Promise<Pem>
  /** Paths of the PEM files (for the CLI and openssl). */
  readonly files: Readonly<Record<'mefCert' | 'mefKey' | 'mefCa' | 'targetCa' | 'deviceCa' | 'deviceCert' | 'deviceKey' | 'untrustedCert' | 'untrustedKey', string>>
}

export const DEVICE_AE_ID = '//m2m.example.com/Sdev02'

export async function createMefPki(t: After): Promise<MefPki> {
  const mefCa = await createTestPki('m2msec MEF CA')
  const targetCa = await createTestPki('m2msec Target CA')
  const deviceCa = await createTestPki('m2msec device CA')
  const rogueCa = await createTestPki('m2msec rogue CA')
  const mef = await mefCa.issue(MEF_FQDN, { dns: [MEF_FQDN] })
  const registrar = await targetCa.issue(REGISTRAR_FQDN, { dns: [REGISTRAR_FQDN] })
  const otherRegistrar = await targetCa.issue(OTHER_REGISTRAR_FQDN, { dns: [OTHER_REGISTRAR_FQDN] })
  const device = await deviceCa.issue('dev02', { uri: [DEVICE_AE_ID] }, { serverAuth: false })
  const untrustedDevice = await rogueCa.issue('dev02', { uri: [DEVICE_AE_ID] }, { serverAuth: false })
  const dir = await tempDir(t)
  const files = {
    mefCert: await dir.write('mef.pem', mef.cert),
    mefKey: await dir.write('mef.key', mef.key),
    mefCa: await dir.write('mef-ca.pem', mefCa.ca.cert),
    targetCa: await dir.write('target-ca.pem', targetCa.ca.cert),
    deviceCa: await dir.write('device-ca.pem', deviceCa.ca.cert),
    deviceCert: await dir.write('device.pem', device.cert),
    deviceKey: await dir.write('device.key', device.key),
    untrustedCert: await dir.write('untrusted.pem', untrustedDevice.cert),
    untrustedKey: await dir.write('untrusted.key', untrustedDevice.key),
  }
  const issueDevice = (subject: string, san: TestSan): Promise<Pem> => deviceCa.issue(subject, san, { serverAuth: false })
  return { mefCa: mefCa.ca, mef, targetCa: targetCa.ca, registrar, otherRegistrar, deviceCa: deviceCa.ca, device, untrustedDevice, issueDevice, files }
}

export interface MefProcess {
  readonly port: number
  readonly child: ChildProcessWithoutNullStreams
  /** stdout and stderr captured so far. */
  output(): string
}

/** Environment for children: no KEK variables, so the data directory's `kek` file is used. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.M2MSEC_KEK
  delete env.M2MSEC_KEK_PREVIOUS
  return env
}

/** Spawns `serve mef` and resolves once its ready line arrived. */
export async function startMef(t: After, args: { dataDir: string; pki: MefPki; mode?: string; extra?: readonly string[] }): Promise<MefProcess> {
  const f = args.pki.files
  const argv = [
    CLI, 'serve', 'mef', '--data-dir', args.dataDir, '--fqdn', MEF_FQDN, '--listen', '127.0.0.1:0', '--cert', f.mefCert, '--key', f.mefKey,
    '--target-ca', f.targetCa, '--target', `${REGISTRAR_FQDN}=${REGISTRAR_ID}`, '--target', `${OTHER_REGISTRAR_FQDN}=${OTHER_REGISTRAR_ID}`,
    '--enrolee-ca', f.deviceCa, '--mode', args.mode ?? 'usage-constrained', ...(args.extra ?? []),
  ]
  const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv() })
  let text = ''
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    const code = await exited
    clearTimeout(timer)
    assert.equal(code, 0, `serve mef exited ${code} on SIGTERM; output:\n${text}`)
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for the serve mef ready line; output:\n${text}`)), 15_000)
    const check = (): void => {
      const line = text.split('\n').find((l) => l.startsWith('{"role":"mef"'))
      if (line === undefined) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { port: number }).port)
    }
    child.stdout.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve mef exited (${code}) before its ready line; output:\n${text}`))
    })
  })
  return { port, child, output: () => text }
}

/**
 * An Enrolment Target's fetchCredentials (RETRIEVE `fetchCredentials/<KeID>/<suid>`) over
 * mutually authenticated TLS with its FQDN certificate `cert`, as originator `fr`.
 */
export async function fetchCredentialsAs(port: number, pki: MefPki, cert: Pem, fr: string, keId: string, suid = 22): Promise<{ rsc: number | undefined; result: FetchCredentialsResult }> {
  const socket = await connectCertificate({ port, servername: MEF_FQDN, credential: { cert: cert.cert, key: cert.key }, trustAnchors: [pki.mefCa.cert] })
  const client = createOneM2mClient(socket, { host: MEF_FQDN })
  try {
    const reply = await client.send({ op: OPERATION.RETRIEVE, to: fetchCredentialsTo({ keId, suid }), fr, rqi: 'f1', rvi: '3' })
    return { rsc: reply.primitive.rsc, result: readFetchCredentialsResult(reply.primitive.pc) }
  } finally {
    client.close()
  }
}

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the built CLI once (`node dist/cli/main.js …args`), as an operator would, and resolves
 * with its exit status and output; fails after `timeoutMs` naming the command and its output.
 */
export async function runCli(args: readonly string[], timeoutMs = 15_000): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  return new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out waiting for m2msec ${args.join(' ')}; output:\n${stdout}${stderr}`))
    }, timeoutMs)
    child.once('error', (error) => (clearTimeout(timer), reject(error)))
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })))
  })
}

/** Every textual form a key could leak in: hex (both cases), base64, base64url. */
function forms(secret: Uint8Array): string[] {
  const b = Buffer.from(secret)
  const hex = b.toString('hex')
  return [hex, hex.toUpperCase(), b.toString('base64'), b.toString('base64url')]
}

/** Fails when any secret appears in the texts or in the data directory's database files. */
export function assertNoSecrets(texts: readonly string[], dataDirs: readonly string[], secrets: readonly Uint8Array[]): void {
  assert.ok(secrets.length > 0)
  const files = dataDirs.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('m2msec.db')).map((n) => join(dir, n)) : []))
  const haystacks = [...texts, ...files.map((f) => readFileSync(f).toString('latin1'))]
  for (const secret of secrets) {
    const bin = Buffer.from(secret).toString('latin1')
    for (const form of [...forms(secret), bin]) {
      for (const [i, hay] of haystacks.entries()) assert.ok(!hay.includes(form), `a secret (${secret.length} bytes) appears in ${i < texts.length ? `captured output ${i}` : files[i - texts.length]}`)
    }
  }
}
