/**
 * Enumerations of the `sec:` namespace used on Mmef (TS-0003 §12.3.2, values as printed; see
 * mef-maf-interface.md §5.4). Entries marked PRIVATE are this project's additions for IBC
 * provisioning (§6a), not TS-0003's.
 */

/** sec:cmdClassID. */
export const CMD_CLASS_ID = {
  NO_MORE_COMMANDS: 0,
  CERT_PROV: 1,
  DEV_CFG: 2,
  MO_NODE: 3,
  /** PRIVATE (mef-maf-interface.md §6a). */
  IBC_PROV: 100,
} as const

/** sec:cmdStatusCode. */
export const CMD_STATUS_CODE = {
  MEF_CLIENT_CMD_ISSUED: 10,
  MEF_CLIENT_CMD_REISSUED: 11,
  MEF_CLIENT_CMD_OK: 20,
  MEF_CLIENT_CMD_REPEATED_CMD_ID: 40,
  MEF_CLIENT_CMD_CLASS_NOT_SUPPORTED: 41,
  MEF_CLIENT_CMD_BAD_ARGUMENTS: 42,
  MEF_CLIENT_CMD_UNACCEPTABLE_ARGUMENTS: 43,
  MEF_CLIENT_CMD_CERT_PROV_SERVER_ERROR: 100,
  MEF_CLIENT_CMD_CERT_PROV_CLIENT_ERROR: 101,
  MEF_CLIENT_CMD_DEV_CFG_SERVER_ERROR: 201,
  MEF_CLIENT_CMD_DEV_CFG_CLIENT_ERROR: 202,
  MEF_CLIENT_CMD_MO_NODE_NOT_FOUND: 300,
  MEF_CLIENT_CMD_MO_NODE_TYPE_CONFLICT: 301,
  MEF_CLIENT_CMD_MO_NODE_BAD_ARGS: 302,
  MEF_CLIENT_CMD_MO_NODE_UNACCEPTABLE_ARGS: 303,
  MEF_CLIENT_CMD_MO_NODE_INCONSISTENT_CONFIG: 304,
  MEF_CLIENT_CMD_MO_NODE_EXECUTION_ERROR: 305,
  /** PRIVATE (mef-maf-interface.md §6a). */
  IBC_PROV_SERVER_ERROR: 400,
  /** PRIVATE (mef-maf-interface.md §6a). */
  IBC_PROV_CLIENT_ERROR: 401,
} as const

/** sec:devMgmtID. */
export const DEV_MGMT_ID = { OMA_DM_1_3: 1, OMA_DM_2_0: 2, OMA_LWM2M: 3, BBF_TR069: 4 } as const

/** sec:certProvProtocolID. */
export const CERT_PROV_PROTOCOL_ID = { EST: 1, SCEP: 2 } as const

/** sec:certSubjectType. */
export const CERT_SUBJECT_TYPE = { NODE_ID: 1, CSE_ID: 2, AE_ID: 3 } as const

/** sec:objectTypeID. */
export const OBJECT_TYPE_ID = { AUTHENTICATION_PROFILE: 1, TRUST_ANCHOR_CRED: 2, MAF_CLIENT_REG_CFG: 3 } as const
