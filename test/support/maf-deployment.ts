/**
 * The files of a MEF + MAF + gateway deployment for the gateway's key-server SAEF tests (TS-0003
 * 8.2.2.1, 8.2.2.3, 8.8.2.7–8; D-88, D-135): the MEF's test PKI, a gateway CA with the gateway's
 * FQDN certificate (dNSName = its FQDN, URI = its Absolute CSE-ID), a MAF CA with the MAF's
 * certificate, both CA certificates written to files, a log of the operator CLI runs, and one data
 * directory per role. Everything is removed after the test; the processes are the test's own.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { GATEWAY_CSE_ID, GATEWAY_FQDN, Scope } from './gateway-process.js'
import { CliLog } from './maf-process.js'
import { createMefPki, type MefPki } from './mef-process.js'
import { createTestPki, tempDir, type Pem } from './tls-fixtures.js'

export const MAF_FQDN = 'maf.example.com'

/** A fresh mkdtemp directory named by `prefix`, removed after the test. */
export function dataDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface MafDeploymentFiles {
  readonly scope: Scope
  readonly pki: MefPki
  /** The gateway's FQDN certificate. */
  readonly gwPem: Pem
  /** The MAF's certificate (dNSName = MAF_FQDN). */
  readonly mafPem: Pem
  readonly files: Awaited<ReturnType<typeof tempDir>>
  /** The gateway CA: the MAF's client CA, and a Target CA at the MEF where the gateway enrols. */
  readonly gwCaFile: string
  /** The MAF CA: a Target CA at the MEF and the gateway's --maf-ca. */
  readonly mafCaFile: string
  readonly cli: CliLog
  readonly mefDir: string
  readonly mafDir: string
  readonly gwDir: string
}

export async function mafDeploymentFiles(t: TestContext): Promise<MafDeploymentFiles> {
  const scope = new Scope(t)
  const pki = await createMefPki(t)
  const gwCa = await createTestPki('m2msec gateway CA')
  const gwPem = await gwCa.issue(GATEWAY_FQDN, { dns: [GATEWAY_FQDN], uri: [GATEWAY_CSE_ID] })
  const mafCa = await createTestPki('m2msec MAF CA')
  const mafPem = await mafCa.issue(MAF_FQDN, { dns: [MAF_FQDN] })
  const files = await tempDir(t)
  const gwCaFile = await files.write('gw-ca.pem', gwCa.ca.cert)
  const mafCaFile = await files.write('maf-ca.pem', mafCa.ca.cert)
  return {
    scope, pki, gwPem, mafPem, files, gwCaFile, mafCaFile, cli: new CliLog(),
    mefDir: dataDir(t, 'm2msec-mef-'), mafDir: dataDir(t, 'm2msec-maf-'), gwDir: dataDir(t, 'm2msec-gw-'),
  }
}
