// TS-0003 §10.3 exports and derivations. None are published by oneM2M; these are the project's
// own vectors from shared/spec/crypto.md (OWN, tool-verified: OpenSSL s_server/s_client export,
// Python hmac and Node crypto agree) unless a row says otherwise.

/** crypto.md §2.3 (E1) and §2.4 (E2): OpenSSL 3.0 TLS 1.2 PSK-AES128-CBC-SHA256 sessions. */
export const EXPORT_VECTORS = [
  {
    source: 'crypto.md §2.3 vector E1 (EXPORTER-oneM2M-Bootstrap, OpenSSL s_server/s_client)', provenance: 'own',
    label: 'EXPORTER-oneM2M-Bootstrap',
    masterSecret: 'B09511730229C403929CF9A85E9D746E24CEAA2931A5AC6270D974568B3520AEE3C343EA5BF945D233BFEB972A23A57E',
    clientRandom: 'C3C3973342B4D4168E2ED0DCA15451FE3BAAFAB15463B2B31C0B09BBCD80C1EF',
    serverRandom: 'ABD540669ECB5A1F265B57F5C39D2ACB73C3E5B3EAE8D5B417D30F8D41C011AE',
    export: '1C2B16403482987C93BA591954C8B67CFEEA28A864C689F00F87E6174A40C37CADF6123F32EDFD67380D9DE5BF5FFC0E',
    keyId: '1C2B16403482987C93BA591954C8B67C',
    key: 'FEEA28A864C689F00F87E6174A40C37CADF6123F32EDFD67380D9DE5BF5FFC0E',
  },
  {
    source: 'crypto.md §2.4 vector E2 (EXPORTER-oneM2M-Connection, OpenSSL s_server/s_client)', provenance: 'own',
    label: 'EXPORTER-oneM2M-Connection',
    masterSecret: '90CACEB3C6EA6A3ED68A4B69F823DF442D971CCA0E16D8890DB368F77E8FD7EA9499E228A9F0141C9271F3A1A7FE9479',
    clientRandom: '34B5092DC89758FD0B581F493901500F41BD9ED109CA08FF7055254FCC3DB65E',
    serverRandom: 'BB8060F67A041DB672EA2F5BFDE6E730BBF547E71980D13763910E51EB8D72B2',
    export: 'D40C10D6D39B2B9B500265C753D4BE2FD2DE62284C07A9B02BFD7BE03788FC4799861164B3B1BD589DBCE9329DD54196',
    keyId: 'D40C10D6D39B2B9B500265C753D4BE2F',
    key: 'D2DE62284C07A9B02BFD7BE03788FC4799861164B3B1BD589DBCE9329DD54196',
  },
] as const

/** Ke of vector E1, the input of every §4.1 row. */
export const KE_E1 = 'FEEA28A864C689F00F87E6174A40C37CADF6123F32EDFD67380D9DE5BF5FFC0E'

/** crypto.md §4.1. */
export const KE_DERIVATION_VECTORS = {
  km: {
    source: 'crypto.md §4.1 row 1 (TS-0003 §10.3.2 Km, compatibility mode)', provenance: 'own',
    mafId: 'maf.example.com',
    output: '6A09EC511426D82C835C6FD558A502D647964F7D09F272F28A0A9CB16BD1C871',
  },
  kpsa: {
    source: 'crypto.md §4.1 row 2 (TS-0003 §10.3.3 Kpsa, compatibility mode)', provenance: 'own',
    enroleeBId: '//m2m.example.com/CSE-B01',
    output: '922783A9C99A7F4D99ADBEBC5C7E382DDD562D10A97B1F884F609F46479E4504',
  },
  usageConstrained: [
    {
      source: 'crypto.md §4.1 row 3 (TS-0003 §10.3.7, SUID "21", MAF target)', provenance: 'own',
      suid: 21, target: 'maf.example.com',
      output: '243206F52594E0FB2709463D495909B0AFCAC48CC6B7093F66A5DA580E6E87CF',
    },
    {
      source: 'crypto.md §4.1 row 5 (TS-0003 §10.3.7, SUID "22", Registrar target)', provenance: 'own',
      suid: 22, target: 'cse-b01.m2m.example.com',
      output: 'D20B2D35C5BFB1CC62D2D0ACBA65131B3164BC5E34753CE620BA647FCD5512AD',
    },
  ],
  /** Outputs an implementation produces only when it has the encoding wrong (OQ-4). */
  negatives: [
    {
      source: 'crypto.md §4.1 row 4 (SUID as one octet 0x15: wrong encoding)', provenance: 'own',
      suid: 21, target: 'maf.example.com',
      wrongOutput: '69E2C40D359D0CCB03E3F35EF8A57B6E3B1DE94351A884539C013433B61BEE5C',
    },
  ],
  /** crypto.md §4.1: the mixed-case target gives a different key (prefix printed there). */
  mixedCaseTarget: {
    source: 'crypto.md §4.1 (mixed-case target CSE-B01.m2m.example.com)', provenance: 'own',
    suid: 22, target: 'CSE-B01.m2m.example.com', outputPrefix: '7EDD0B10',
  },
} as const

/**
 * TS-0003 §10.3.6 and §10.3.8.2 — OWN, reproduced with `openssl mac -digest SHA256 HMAC` block
 * by block (an HMAC implementation independent of ours). Salt is the ASCII "ONEM2M-salt-0001";
 * Kpsa is the §4.1 Kpsa above.
 */
export const E2E_VECTORS = {
  source: 'own: openssl mac HMAC-SHA256, TS-0003 §10.3.6 chain', provenance: 'own',
  salt: '4F4E454D324D2D73616C742D30303031',
  kpsa: '922783A9C99A7F4D99ADBEBC5C7E382DDD562D10A97B1F884F609F46479E4504',
  master: '062C776A277BC288BA8FAB47CEFE28DB28969D45D7183066389D8ADE6A51B44C',
  msgAuth: 'C6BC417E6784D0724514AA4B2A4886E8F9FD71E94A624D4CB7B4C3A515C7CE50',
  msgConf: 'F56E71EDADEBE8704C14B7E3D2AF9CFC0EB579EB11E15C5B3B8F7FC8534998AE',
  attAuth: '919E47929E4A473FCBE8FDFDD1D5FC74A2C65974727E31CDBBD9CCFE08043A08',
  attConf: '454DF3E7C55E6487B9F5B8C54A2714C51872B11C514EFCB62B4D5D6556EF25A1',
} as const

export const SESSION_ESPRIM_VECTOR = {
  source: 'own: openssl mac HMAC-SHA256, TS-0003 §10.3.8.2', provenance: 'own',
  pairwiseESPrimKey: 'A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5',
  receiverESPrimRandObject: '000102030405060708090A0B0C0D0E0F',
  originatorESPrimRandObject: 'F0E1D2C3B4A5968778695A4B3C2D1E0F',
  sessionESPrimKey: 'BD62941EAFE3E107C99E65F4EE39BF4415D323A20EDAF8FF48B0F3427E2395B1',
} as const
