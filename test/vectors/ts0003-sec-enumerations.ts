// The enumerations of TS-0003 clause 12.3.2 (`sec:` namespace), value by value, as the project
// digest prints them (frameworks.md §4.4, §19.4, §19.6, §20.3; mef-maf-interface.md §5.4).
// 'published' = a TS-0003 table; 'own' = a project-private addition (mef-maf-interface.md §6a,
// frameworks.md §4.4 OQ-24), which must stay outside the published value ranges.
//
// `name` is the constant the project uses for the value. Where the table prints a symbolic name
// (cmdClassID, cmdStatusCode) `name` is that name verbatim; where it prints a description, the
// description is kept in `printed` and `name` is ours.

export interface SecEnumerationEntry {
  readonly value: number
  readonly name: string
  readonly printed?: string
}

export interface SecEnumerationTable {
  /** The XSD type, `sec:<name>`. */
  readonly enumeration: string
  readonly source: string
  readonly provenance: 'published' | 'own'
  readonly entries: readonly SecEnumerationEntry[]
}

export const SEC_ENUMERATIONS: readonly SecEnumerationTable[] = [
  {
    enumeration: 'sec:credIDTypeID',
    source: 'TS-0003 §12.3.2.1 (Table 12.3.2.1-1), frameworks.md §4.4',
    provenance: 'published',
    entries: [
      { value: 10, name: 'KPM', printed: 'symmetric key for authenticating to a MEF (KpmID)' },
      { value: 11, name: 'KM', printed: 'symmetric key for authenticating to a MAF (KmID)' },
      { value: 12, name: 'SAEF_SYMMETRIC', printed: 'symmetric key for an SAEF (KpsaID or KcID)' },
      { value: 13, name: 'ESPRIM_SYMMETRIC', printed: 'symmetric key for ESPrim' },
      { value: 14, name: 'ESDATA_DIRECT_ENCRYPTION_SYMMETRIC', printed: 'ESData direct-encryption symmetric key' },
      { value: 15, name: 'ESDATA_KEY_WRAP_SYMMETRIC', printed: 'ESData key-wrap symmetric key' },
      { value: 16, name: 'ESDATA_HMAC_SYMMETRIC', printed: 'ESData HMAC symmetric key' },
      { value: 30, name: 'TLS_RAW_PUBLIC_KEY', printed: 'raw public key in TLS' },
      { value: 31, name: 'TLS_DEVICE_CERTIFICATE', printed: 'device certificate in TLS' },
      { value: 32, name: 'TLS_CSE_ID_CERTIFICATE', printed: 'CSE-ID certificate in TLS' },
      { value: 33, name: 'TLS_AE_ID_CERTIFICATE', printed: 'AE-ID certificate in TLS' },
      { value: 34, name: 'TLS_NODE_ID_CERTIFICATE', printed: 'Node-ID certificate in TLS' },
      { value: 41, name: 'ESDATA_KEY_MANAGEMENT_RAW_PUBLIC_KEY', printed: 'raw public key, ESData encryption key management' },
      { value: 42, name: 'ESDATA_KEY_MANAGEMENT_DEVICE_CERTIFICATE', printed: 'device certificate, ESData encryption key management' },
      { value: 43, name: 'ESDATA_KEY_MANAGEMENT_CSE_ID_CERTIFICATE', printed: 'CSE-ID certificate, ESData encryption key management' },
      { value: 44, name: 'ESDATA_KEY_MANAGEMENT_AE_ID_CERTIFICATE', printed: 'AE-ID certificate, ESData encryption key management' },
      { value: 45, name: 'ESDATA_KEY_MANAGEMENT_NODE_ID_CERTIFICATE', printed: 'Node-ID certificate, ESData encryption key management' },
      { value: 51, name: 'ESDATA_SIGNATURE_RAW_PUBLIC_KEY', printed: 'raw public key, ESData signature-only class' },
      { value: 52, name: 'ESDATA_SIGNATURE_DEVICE_CERTIFICATE', printed: 'device certificate, ESData signature-only class' },
      { value: 53, name: 'ESDATA_SIGNATURE_CSE_ID_CERTIFICATE', printed: 'CSE-ID certificate, ESData signature-only class' },
      { value: 54, name: 'ESDATA_SIGNATURE_AE_ID_CERTIFICATE', printed: 'AE-ID certificate, ESData signature-only class' },
      { value: 55, name: 'ESDATA_SIGNATURE_NODE_ID_CERTIFICATE', printed: 'Node-ID certificate, ESData signature-only class' },
    ],
  },
  {
    enumeration: 'sec:credIDTypeID',
    source: 'frameworks.md §4.4 (project-private IBC credential, OQ-24)',
    provenance: 'own',
    entries: [{ value: 60, name: 'IBC_PRIVATE', printed: 'IBC credential in the IBC-1 SAEF' }],
  },
  {
    enumeration: 'sec:devMgmtID',
    source: 'TS-0003 §12.3.2 (sec:devMgmtID), frameworks.md §19.4 and §20.3',
    provenance: 'published',
    entries: [
      { value: 1, name: 'OMA_DM_1_3', printed: 'OMA DM 1.3' },
      { value: 2, name: 'OMA_DM_2_0', printed: 'OMA DM 2.0' },
      { value: 3, name: 'OMA_LWM2M', printed: 'OMA LwM2M' },
      { value: 4, name: 'BBF_TR069', printed: 'BBF TR-069' },
    ],
  },
  {
    enumeration: 'sec:cmdClassID',
    source: 'TS-0003 §12.3.2 (sec:cmdClassID), frameworks.md §19.4 and §20.3',
    provenance: 'published',
    entries: [
      { value: 0, name: 'NO_MORE_COMMANDS' },
      { value: 1, name: 'CERT_PROV' },
      { value: 2, name: 'DEV_CFG' },
      { value: 3, name: 'MO_NODE' },
    ],
  },
  {
    enumeration: 'sec:cmdClassID',
    source: 'mef-maf-interface.md §5.4 and §6a (project-private IBC provisioning class)',
    provenance: 'own',
    entries: [{ value: 100, name: 'IBC_PROV' }],
  },
  {
    enumeration: 'sec:cmdStatusCode',
    source: 'TS-0003 §12.3.2.4, frameworks.md §19.6',
    provenance: 'published',
    entries: [
      { value: 10, name: 'MEF_CLIENT_CMD_ISSUED' },
      { value: 11, name: 'MEF_CLIENT_CMD_REISSUED' },
      { value: 20, name: 'MEF_CLIENT_CMD_OK' },
      { value: 40, name: 'MEF_CLIENT_CMD_REPEATED_CMD_ID' },
      { value: 41, name: 'MEF_CLIENT_CMD_CLASS_NOT_SUPPORTED' },
      { value: 42, name: 'MEF_CLIENT_CMD_BAD_ARGUMENTS' },
      { value: 43, name: 'MEF_CLIENT_CMD_UNACCEPTABLE_ARGUMENTS' },
      { value: 100, name: 'MEF_CLIENT_CMD_CERT_PROV_SERVER_ERROR' },
      { value: 101, name: 'MEF_CLIENT_CMD_CERT_PROV_CLIENT_ERROR' },
      { value: 201, name: 'MEF_CLIENT_CMD_DEV_CFG_SERVER_ERROR' },
      { value: 202, name: 'MEF_CLIENT_CMD_DEV_CFG_CLIENT_ERROR' },
      { value: 300, name: 'MEF_CLIENT_CMD_MO_NODE_NOT_FOUND' },
      { value: 301, name: 'MEF_CLIENT_CMD_MO_NODE_TYPE_CONFLICT' },
      { value: 302, name: 'MEF_CLIENT_CMD_MO_NODE_BAD_ARGS' },
      { value: 303, name: 'MEF_CLIENT_CMD_MO_NODE_UNACCEPTABLE_ARGS' },
      { value: 304, name: 'MEF_CLIENT_CMD_MO_NODE_INCONSISTENT_CONFIG' },
      // The table's name; the 8.3.9.5.18 prose calls it ..._PROCESSING_FAILED.
      { value: 305, name: 'MEF_CLIENT_CMD_MO_NODE_EXECUTION_ERROR' },
    ],
  },
  {
    enumeration: 'sec:cmdStatusCode',
    source: 'mef-maf-interface.md §5.4 and §6a (project-private IBC_PROV outcomes)',
    provenance: 'own',
    entries: [
      { value: 400, name: 'IBC_PROV_SERVER_ERROR' },
      { value: 401, name: 'IBC_PROV_CLIENT_ERROR' },
    ],
  },
  {
    enumeration: 'sec:certProvProtocolID',
    source: 'TS-0003 §12.3.2 (sec:certProvProtocolID), frameworks.md §19.4 and §20.3',
    provenance: 'published',
    entries: [
      { value: 1, name: 'EST' },
      { value: 2, name: 'SCEP' },
    ],
  },
  {
    enumeration: 'sec:certSubjectType',
    source: 'TS-0003 §12.3.2 (sec:certSubjectType), frameworks.md §19.4 and §20.3',
    provenance: 'published',
    entries: [
      { value: 1, name: 'NODE_ID', printed: 'Node-ID' },
      { value: 2, name: 'CSE_ID', printed: 'CSE-ID' },
      { value: 3, name: 'AE_ID', printed: 'AE-ID' },
    ],
  },
  {
    enumeration: 'sec:objectTypeID',
    source: 'TS-0003 §12.3.2.7 (Table 12.3.2.7-1), frameworks.md §19.4 and §20.3',
    provenance: 'published',
    entries: [
      { value: 1, name: 'AUTHENTICATION_PROFILE', printed: '[authenticationProfile]' },
      { value: 2, name: 'TRUST_ANCHOR_CRED', printed: '[trustAnchorCred]' },
      // Printed "[MAFClientRefCfg]" in the table: a typo for the MO of that name (frameworks.md §20.3).
      { value: 3, name: 'MAF_CLIENT_REG_CFG', printed: '[MAFClientRegCfg]' },
    ],
  },
]
