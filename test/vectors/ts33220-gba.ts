/**
 * GBA key derivation (3GPP TS 33.220 annex B.2/B.3) and B-TID (§4.5.2). 3GPP publishes no vector
 * for these, so the values are our own (spec/crypto.md §7.5): CK, IK and RAND of TS 35.208 test
 * set 1, Ua identifier 01 00 01 00 AE (OQ-22). Reproduced for this file with Python 3 (`hmac`,
 * `hashlib`, `base64`, `unicodedata`) and, for Ks_NAF, `openssl dgst -sha256 -mac HMAC` over the
 * S bytes; both equal crypto.md §7.5.
 */
export const TS33220_GBA = [
  {
    source: 'own: TS 33.220 annex B.3 on TS 35.208 test set 1 (crypto.md §7.5; Python and openssl agree)',
    provenance: 'own',
    CK: 'B40BA9A3C58B2A05BBF0D987B21BF8CB',
    IK: 'F769BCD751044604127672711C6D3441',
    RAND: '23553CBE9637A89D218AE64DAE47BF35',
    IMPI: '001010123456789@ims.mnc001.mcc001.3gppnetwork.org',
    NAF_FQDN: 'maf.example.com',
    UaId: '01000100AE',
    BSF_domain: 'bsf.example.com',
    Ks: 'B40BA9A3C58B2A05BBF0D987B21BF8CBF769BCD751044604127672711C6D3441',
    NAF_Id: '6D61662E6578616D706C652E636F6D01000100AE',
    // S for "gba-me", fields joined (crypto.md shows them spaced for reading).
    S:
      '01' + '6762612D6D65' + '0006' + '23553CBE9637A89D218AE64DAE47BF35' + '0010' +
      '30303130313031323334353637383940696D732E6D6E633030312E6D63633030312E336770706E6574776F726B2E6F7267' + '0031' +
      '6D61662E6578616D706C652E636F6D01000100AE' + '0014',
    Ks_NAF: '70DF13BA60F0E7C631060DBB4497F09741B709FA2C6B510E770D5E6CA6835807',
    Ks_int_NAF: '31E1893E45F26D2CB1CB3EE55C581D62E4F763088EAB39E848C3E1985C0E04EA',
    B_TID: 'I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.com',
  },
] as const
