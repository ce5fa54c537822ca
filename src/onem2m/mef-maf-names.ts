/**
 * OUR PROPOSAL for the TS-0032 (Mmaf/Mmef) wire names — NOT from TS-0032, whose text could not be
 * obtained (shared/spec/mef-maf-interface.md §0, §3, §5, §6, §6a). Every resource type code,
 * JSON root, attribute short name and path name of the MEF/MAF interfaces lives here and only
 * here, so that the official tables can replace this file without touching any other module.
 * Long names are the TS-0003 information-element / data-type names (clause 8.3.5, 8.8.2, 12.x).
 */
import { resourceAttributeSchema } from './short-names.js'
import type { NameSchema } from './short-names.js'
import type { ResourceSchema } from './resource-schemas.js'

/** Namespace prefix the writer emits for MEF/MAF roots (TS-0003 §12.1 `sec:`). */
export const SEC_PREFIX = 'sec'
/** Prefixes the reader also accepts for the same roots (mef-maf-interface.md §2.2). */
export const SEC_ACCEPTED_PREFIXES: readonly string[] = ['m2m']

/** Proposed `ty` codes (§3.1): a private block clear of TS-0004's 1–66, 10xx and 100xx. */
export const MEF_MAF_RESOURCE_TYPE = {
  MAF_BASE: 32001,
  MAF_CLIENT_REG: 32002,
  MEF_BASE: 32003,
  MEF_CLIENT_REG: 32004,
  MEF_CLIENT_CMD: 32005,
  SYMM_KEY_REG: 32006,
  IBC_CRED: 32007,
} as const

/** Proposed JSON root short names (used as `sec:<name>`). */
export const MEF_MAF_ROOT = {
  mafBase: 'mafb',
  mafClientReg: 'macr',
  mefBase: 'mefb',
  mefClientReg: 'mecr',
  mefClientCmd: 'mecc',
  symmKeyReg: 'skr',
  ibcCred: 'ibcc',
  fetchCredentialsResult: 'fcr',
} as const

/** Proposed attribute and member short names, keyed by their TS-0003 long name. */
export const MEF_MAF_NAMES = {
  // <MAFBase>/<MEFBase>, §3.3
  fqdn: 'fqdn', supportedSUIDs: 'suids', deviceConfigURI: 'dcu', pointOfAccess: 'poa',
  supportedReleaseVersions: 'srv',
  // client registrations, §3.4
  adminFQDN: 'adfq', clientID: 'clid', assignedSymmKeyID: 'asid', clientCfg: 'ccfg',
  // client configuration, §3.8
  keyRegCfgs: 'krc', vendorInformation: 'vsi',
  // <mefClientCmd>, §3.5
  cmdID: 'cmid', cmdDescription: 'cmdd', cmdStatusCode: 'cmst',
  // <symmKeyReg>, §3.6
  relativeKeyID: 'rkid', SUID: 'suid', targetIDs: 'tgis', keyValue: 'kyv',
  // sec:clientRegCfg, §5.2
  httpPort: 'htpo', coapPort: 'copo', websocketPort: 'wspo',
  // sec:cmdDescription and arguments, §5.3
  cmdClassID: 'ccid', cmdArgs: 'cmag', targetID: 'tgid', noMoreCmdArgs: 'nmca',
  certProvCmdArgs: 'cpca', devCfgCmdArgs: 'dcca', MONodeCmdArgs: 'mnca', ibcProvCmdArgs: 'ibpa',
  retryDuration: 'rtdu', certProvProtocolID: 'cppi', URI: 'uri', certSubjectType: 'cstp',
  certSubjectID: 'csbj', objectPath: 'obp', objectTypeID: 'otid', objectTypeSpecificArgs: 'otsa',
  authProfileMONodeArgs: 'apma',
  // fetchCredentials result, §6
  status: 'stat', credential: 'cred', enroleeID: 'enid', lifetime: 'lftm', errorString: 'errs',
  // IBC credential provisioning, §6a
  entityID: 'eid', ID_1: 'id1', ID_2: 'id2', SSK: 'ssk', PVT: 'pvt', KPAK: 'kpak',
} as const

/** Proposed paths and generated names (§3, §6). */
export const MEF_MAF_PATHS = {
  mafBaseName: 'maf',
  mefBaseName: 'mef',
  mefClientCmdName: 'cmd',
  mafClientRegIdPrefix: 'mcr',
  mefClientRegIdPrefix: 'ecr',
  fetchCredentials: 'fetchCredentials',
} as const

const N = MEF_MAF_NAMES

function pick(...longs: (keyof typeof MEF_MAF_NAMES)[]): Record<string, string> {
  return Object.fromEntries(longs.map((long) => [long, N[long]]))
}

// TS-0003 12.3.2.4 calls cmdStatusCode "cmdStatus": the reader accepts that long name too.
const CMD_STATUS_ALIAS = { cmdStatus: N.cmdStatusCode }

const KEY_REG_CFG: NameSchema = resourceAttributeSchema(pick('adminFQDN', 'SUID', 'targetIDs'))
const CLIENT_CFG: NameSchema = { names: pick('keyRegCfgs', 'vendorInformation'), nested: { [N.keyRegCfgs]: KEY_REG_CFG }, open: true }
const AUTH_PROFILE_ARGS: NameSchema = { names: pick('SUID', 'authProfileMONodeArgs'), nested: { [N.authProfileMONodeArgs]: { names: pick('SUID') } } }
const CMD_ARGS: NameSchema = {
  names: pick('noMoreCmdArgs', 'certProvCmdArgs', 'devCfgCmdArgs', 'MONodeCmdArgs', 'ibcProvCmdArgs'),
  nested: {
    [N.noMoreCmdArgs]: { names: pick('retryDuration') },
    [N.certProvCmdArgs]: { names: pick('certProvProtocolID', 'URI', 'certSubjectType', 'certSubjectID') },
    [N.devCfgCmdArgs]: { names: pick('deviceConfigURI') },
    [N.MONodeCmdArgs]: { names: pick('objectPath', 'objectTypeID', 'objectTypeSpecificArgs'), nested: { [N.objectTypeSpecificArgs]: AUTH_PROFILE_ARGS } },
    [N.ibcProvCmdArgs]: { names: pick('URI') },
  },
}
export const CMD_DESCRIPTION_SCHEMA: NameSchema = { names: pick('cmdClassID', 'cmdArgs', 'targetID'), nested: { [N.cmdArgs]: CMD_ARGS } }

function sec(shortName: string, longName: string, ty: number | undefined, attributes: NameSchema): ResourceSchema {
  return { prefix: SEC_PREFIX, acceptedPrefixes: SEC_ACCEPTED_PREFIXES, shortName, longName, ...(ty === undefined ? {} : { ty }), attributes }
}

const T = MEF_MAF_RESOURCE_TYPE
const R = MEF_MAF_ROOT

export const MEF_MAF_SCHEMAS: readonly ResourceSchema[] = [
  sec(R.mafBase, 'MAFBase', T.MAF_BASE, resourceAttributeSchema(pick('fqdn', 'supportedSUIDs', 'pointOfAccess', 'supportedReleaseVersions'))),
  sec(R.mefBase, 'MEFBase', T.MEF_BASE, resourceAttributeSchema(pick('fqdn', 'supportedSUIDs', 'deviceConfigURI', 'pointOfAccess', 'supportedReleaseVersions'))),
  sec(R.mafClientReg, 'mafClientReg', T.MAF_CLIENT_REG, resourceAttributeSchema(pick('adminFQDN', 'clientID', 'assignedSymmKeyID', 'clientCfg'), { [N.clientCfg]: CLIENT_CFG })),
  sec(R.mefClientReg, 'mefClientReg', T.MEF_CLIENT_REG, resourceAttributeSchema(pick('adminFQDN', 'clientID', 'assignedSymmKeyID', 'clientCfg'), { [N.clientCfg]: CLIENT_CFG })),
  sec(R.mefClientCmd, 'mefClientCmd', T.MEF_CLIENT_CMD, resourceAttributeSchema({ ...pick('cmdID', 'cmdDescription', 'cmdStatusCode'), ...CMD_STATUS_ALIAS }, { [N.cmdDescription]: CMD_DESCRIPTION_SCHEMA })),
  sec(R.symmKeyReg, 'symmKeyReg', T.SYMM_KEY_REG, resourceAttributeSchema(pick('relativeKeyID', 'adminFQDN', 'SUID', 'targetIDs', 'keyValue', 'clientID'))),
  sec(R.ibcCred, 'ibcCred', T.IBC_CRED, { names: pick('entityID', 'ID_1', 'ID_2', 'SSK', 'PVT', 'KPAK') }),
  sec(R.fetchCredentialsResult, 'fetchCredentialsResult', undefined, { names: pick('status', 'credential', 'enroleeID', 'lifetime', 'errorString') }),
]
