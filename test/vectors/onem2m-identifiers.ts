// oneM2M security identifiers: examples printed in the project digests (crypto.md §2–§5, §7.5,
// §10; frameworks.md §22) and in the oneM2M specifications (TS-0001 Table 7.2-1, TS-0004 §6.2.3,
// TS-0003 Table 12.2-1). Strings exactly as printed. 'own' = computed for this project (see the
// digest's own provenance note); 'published' = printed in a oneM2M specification.

/** KeID (TS-0003 §10.3.4) from the Bootstrap export of vector E1. */
export const KE_ID = [
  {
    source: 'crypto.md §2.3 vector E1 and §3 table (TS-0003 §10.3.4)', provenance: 'own',
    RelativeKeID: '1C2B16403482987C93BA591954C8B67C', MEF_FQDN: 'mef.example.com',
    KeID: '1C2B16403482987C93BA591954C8B67C@mef.example.com',
  },
] as const

/** A received KeID in another case and its normal form (OQ-2 note of crypto.md §3). */
export const KE_ID_CASE_VARIANT = [
  {
    source: 'crypto.md §3 notes (OQ-2 normalisation)', provenance: 'own',
    received: '1c2b16403482987c93ba591954c8b67c@MEF.Example.com',
    normalised: '1C2B16403482987C93BA591954C8B67C@mef.example.com',
    CredentialID: '12-1C2B16403482987C93BA591954C8B67C@mef.example.com',
  },
] as const

/** MAF Key Identifier (TS-0003 §10.3.5) from the Connection export of vector E2. */
export const KEY_IDENTIFIER = [
  {
    source: 'crypto.md §2.4 vector E2 and §3 table (TS-0003 §10.3.5)', provenance: 'own',
    KcID: 'D40C10D6D39B2B9B500265C753D4BE2F', MAF_FQDN: 'maf.example.com',
    KeyIdentifier: 'D40C10D6D39B2B9B500265C753D4BE2F@maf.example.com',
  },
] as const

/** sec:relKeyID examples (TS-0003 Table 12.2-1), valid relative parts of Key Identifiers, KmIDs, KpsaIDs. */
export const REL_KEY_IDS = [
  { source: 'TS-0003 Table 12.2-1 sec:relKeyID', provenance: 'published', relKeyID: '1he83he' },
  { source: 'TS-0003 Table 12.2-1 sec:relKeyID', provenance: 'published', relKeyID: 'my-key_name' },
  { source: 'TS-0003 Table 12.2-1 sec:relKeyID', provenance: 'published', relKeyID: 'firstname.lastname' },
] as const

export const KM_ID = [
  { source: 'crypto.md §3 table (TS-0003 §10.6)', provenance: 'own', KmID: 'km-7f3a@maf.example.com', Credential_ID: '11-km-7f3a@maf.example.com' },
] as const

export const KPSA_ID = [
  { source: 'crypto.md §3 table (TS-0003 §10.5)', provenance: 'own', KpsaID: 'psk-0001@sp.example.com', Credential_ID: '12-psk-0001@sp.example.com' },
  { source: 'wire.md §7.5 example (TS-0003 §10.4)', provenance: 'own', KpsaID: 'kpsa0042@sp.example.com', Credential_ID: '12-kpsa0042@sp.example.com' },
] as const

export const KPM_ID = [
  { source: 'crypto.md §3 table (TS-0003 §8.3.2.1) and §2.3 psk_identity', provenance: 'own', KpmID: 'kpm-0001@mef.example.com', Credential_ID: '10-kpm-0001@mef.example.com' },
  { source: 'TS-0003 Table 12.2-1 sec:credentialID example', provenance: 'published', KpmID: 'thiskey@mymef.com', Credential_ID: '10-thiskey@mymef.com' },
] as const

/** GBA B-TID (TS 33.220 §4.5.2) of crypto.md §7.5 and its Credential-ID form (OQ-34). */
export const B_TID = [
  {
    source: 'crypto.md §7.5 (TS 35.208 test set 1 RAND) and frameworks.md OQ-34', provenance: 'own',
    RAND: '23553CBE9637A89D218AE64DAE47BF35', BSF_domain: 'bsf.example.com',
    B_TID: 'I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.com',
    Credential_ID: '12-I1U8vpY3qJ0hiuZNrke_NQ@bsf.example.com',
  },
] as const

/** RFC 6920 names and the type-30 Credential-ID of one SPKI (crypto.md §5, OQ-25). */
export const RAW_PUBLIC_KEY = [
  {
    source: 'crypto.md §5 (TS-0003 §10.1.2, RFC 6920; OQ-25)', provenance: 'own',
    SPKI_DER: '3059301306072A8648CE3D020106082A8648CE3D0301070342000450D4670BDE75244F28D2838A0D25558A7A72686D4522D4C8273FB6442AEBFA93DBDD37551AFD263B5DFD617F3960C65A8C298850FF99F20366DCE7D4367217F4',
    SHA_256: '1F3398E6E278F68A15B7FE32236933B8B2F86A6CB02415C57ECC7E1B9B0F16C3',
    ni_sha_256: 'ni:///sha-256;HzOY5uJ49ooVt_4yI2kzuLL4amywJBXFfsx-G5sPFsM',
    ni_sha_256_128: 'ni:///sha-256-128;HzOY5uJ49ooVt_4yI2kzuA',
    ni_sha_256_120: 'ni:///sha-256-120;HzOY5uJ49ooVt_4yI2kz',
    Credential_ID: '30-HzOY5uJ49ooVt_4yI2kzuLL4amywJBXFfsx-G5sPFsM',
  },
] as const

/** CSE-IDs (TS-0001 Table 7.2-1, TS-0004 §6.2.3, wire.md §2.1, crypto.md §3). */
export const CSE_IDS = [
  { source: 'TS-0001 Table 7.2-1 SP-relative-CSE-ID', provenance: 'published', id: '/123A38ZZY', form: 'sp-relative', cseId: '123A38ZZY' },
  { source: 'TS-0001 Table 7.2-1 SP-relative-CSE-ID', provenance: 'published', id: '/CSE090112', form: 'sp-relative', cseId: 'CSE090112' },
  { source: 'TS-0001 Table 7.2-1 SP-relative-CSE-ID', provenance: 'published', id: '/3ace4fd3', form: 'sp-relative', cseId: '3ace4fd3' },
  { source: 'TS-0001 Table 7.2-1 Absolute-CSE-ID', provenance: 'published', id: '//www.m2mprovider.com/C3219', form: 'absolute', cseId: 'C3219' },
  { source: 'TS-0001 Table 7.2-1 Absolute-CSE-ID', provenance: 'published', id: '//m2m.thingscompany.com/ab3f124a', form: 'absolute', cseId: 'ab3f124a' },
  { source: 'TS-0004 §6.2.3 example 1', provenance: 'published', id: '//myoperator.com/cse1', form: 'absolute', cseId: 'cse1' },
  { source: 'wire.md §2.1 CSE-ID', provenance: 'own', id: '/in-cse', form: 'sp-relative', cseId: 'in-cse' },
  { source: 'crypto.md §3 Absolute CSE-ID', provenance: 'own', id: '//m2m.example.com/CSE-B01', form: 'absolute', cseId: 'CSE-B01' },
] as const

/** AE-IDs (TS-0001 Table 7.2-1, TS-0004 §6.2.3, wire.md §2.1). */
export const AE_IDS = [
  { source: 'TS-0001 Table 7.2-1 AE-ID-Stem', provenance: 'published', id: 'C190XX7T', form: 'cse-relative', stemType: 'C' },
  { source: 'TS-0001 Table 7.2-1 AE-ID-Stem', provenance: 'published', id: 'Ca3e3f3ab', form: 'cse-relative', stemType: 'C' },
  { source: 'TS-0001 Table 7.2-1 AE-ID-Stem', provenance: 'published', id: 'S190XX7T', form: 'cse-relative', stemType: 'S' },
  { source: 'TS-0001 Table 7.2-1 SP-relative-AE-ID', provenance: 'published', id: '/CSE090112/C190XX7T', form: 'sp-relative', stemType: 'C' },
  { source: 'TS-0001 Table 7.2-1 SP-relative-AE-ID', provenance: 'published', id: '/3ace4fd3/Ca3e3f3ab', form: 'sp-relative', stemType: 'C' },
  { source: 'TS-0001 Table 7.2-1 SP-relative-AE-ID', provenance: 'published', id: '/S190XX7T', form: 'sp-relative', stemType: 'S' },
  { source: 'TS-0001 Table 7.2-1 SP-relative-AE-ID', provenance: 'published', id: '/Sa3e3f3ab', form: 'sp-relative', stemType: 'S' },
  { source: 'TS-0001 Table 7.2-1 Absolute-AE-ID', provenance: 'published', id: '//m2m.prov.com/CSE3219/C9886', form: 'absolute', stemType: 'C' },
  { source: 'TS-0001 Table 7.2-1 Absolute-AE-ID', provenance: 'published', id: '//m2m.things.com/ab3f124a/Ca2efb3f4', form: 'absolute', stemType: 'C' },
  { source: 'TS-0001 Table 7.2-1 Absolute-AE-ID', provenance: 'published', id: '//m2m.things.com/S98821', form: 'absolute', stemType: 'S' },
  { source: 'TS-0004 §6.2.3 example 2', provenance: 'published', id: '//myoperator.com/S563423', form: 'absolute', stemType: 'S' },
  { source: 'TS-0004 §6.2.3 example 2', provenance: 'published', id: '//myoperator.com/cse2/C3532ea3', form: 'absolute', stemType: 'C' },
  { source: 'TS-0004 §6.2.3 example 2', provenance: 'published', id: '/cse2/C3532ea3', form: 'sp-relative', stemType: 'C' },
  { source: 'wire.md §2.1 AE-ID-Stem', provenance: 'own', id: 'Cae01', form: 'cse-relative', stemType: 'C' },
  { source: 'wire.md §2.1 SP-relative AE-ID', provenance: 'own', id: '/mn-cse1/Cae01', form: 'sp-relative', stemType: 'C' },
  { source: 'wire.md §2.1 Absolute AE-ID', provenance: 'own', id: '//sp.example.com/mn-cse1/Cae01', form: 'absolute', stemType: 'C' },
] as const

/** AE-ID form conversions (TS-0004 §6.2.3 example 2; wire.md §6 comparison rule). */
export const AE_ID_CONVERSIONS = [
  { source: 'TS-0004 §6.2.3 example 2', provenance: 'published', spId: '//myoperator.com', registrarCseId: '/cse2', stem: 'C3532ea3', spRelative: '/cse2/C3532ea3', absolute: '//myoperator.com/cse2/C3532ea3' },
  { source: 'TS-0004 §6.2.3 example 2', provenance: 'published', spId: '//myoperator.com', registrarCseId: '/cse2', stem: 'S563423', spRelative: '/S563423', absolute: '//myoperator.com/S563423' },
  { source: 'wire.md §2.1 / §6', provenance: 'own', spId: '//sp.example.com', registrarCseId: '/mn-cse1', stem: 'Cae01', spRelative: '/mn-cse1/Cae01', absolute: '//sp.example.com/mn-cse1/Cae01' },
] as const

/** Default CSE public domain names (TS-0001 §6.5.1.1), lower case (crypto.md §4, OQ-4). */
export const CSE_PUBLIC_DOMAIN_NAMES = [
  { source: 'crypto.md §4 Enrolment-Target-ID example (OQ-4)', provenance: 'own', cseId: '//m2m.example.com/CSE-B01', parent: undefined, name: 'cse-b01.m2m.example.com' },
  { source: 'crypto.md §3 table (TS-0001 §6.5.1.1), IN-CSE step', provenance: 'own', cseId: '/IN-CSEID', parent: 'm2m.myoperator.org', name: 'in-cseid.m2m.myoperator.org' },
  { source: 'crypto.md §3 table (TS-0001 §6.5.1.1), MN-CSE step', provenance: 'own', cseId: '/MN-CSEID', parent: 'in-cseid.m2m.myoperator.org', name: 'mn-cseid.in-cseid.m2m.myoperator.org' },
] as const

/** IBC ID_2 (crypto.md §10, OQ-24) and its type-60 Credential-ID (frameworks.md §4.4). */
export const IBC_ID = [
  {
    source: 'crypto.md §10 ID_A (seed 003 grammar, OQ-24)', provenance: 'own',
    ID_2: 'mef.example.com@2F2F6D326D2E6578616D706C652E636F6D2F4353452D413031@20301231T235959',
    entityId: '//m2m.example.com/CSE-A01', mefFqdn: 'mef.example.com', expirationTime: '20301231T235959',
    Credential_ID: '60-mef.example.com@2F2F6D326D2E6578616D706C652E636F6D2F4353452D413031',
  },
  {
    source: 'crypto.md §10 ID_B (seed 003 grammar, OQ-24)', provenance: 'own',
    ID_2: 'mef.example.com@2F2F6D326D2E6578616D706C652E636F6D2F4353452D423031@20301231T235959',
    entityId: '//m2m.example.com/CSE-B01', mefFqdn: 'mef.example.com', expirationTime: '20301231T235959',
    Credential_ID: '60-mef.example.com@2F2F6D326D2E6578616D706C652E636F6D2F4353452D423031',
  },
] as const
