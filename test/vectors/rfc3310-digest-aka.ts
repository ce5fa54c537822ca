/**
 * HTTP Digest AKAv1-MD5 (RFC 3310 on RFC 2617). No published vector exists for it with Milenage
 * values, so these are our own (spec/crypto.md §7.6 plus two variants): TS 35.208 test set 1
 * RAND/AUTN/RES, realm bsf.example.com, username = the IMPI of ts33220-gba.ts, GET /, empty
 * bodies, nc 00000001, cnonce 0a4f113b. Reproduced for this file with Python 3 `hashlib.md5`
 * (HA1 over the raw RES octets) and with `openssl md5` over the same byte strings; both agree
 * with crypto.md §7.6.
 */
export const RFC3310_DIGEST_AKA = [
  {
    source: 'own: RFC 3310 §3.4 / RFC 2617 §3.2.2, qop=auth-int request (crypto.md §7.6; Python and openssl agree)',
    provenance: 'own',
    RAND: '23553CBE9637A89D218AE64DAE47BF35',
    AUTN: '55F328B43577B9B94A9FFAC354DFAFB3',
    RES: 'A54211D5E3BA50BF',
    username: '001010123456789@ims.mnc001.mcc001.3gppnetwork.org',
    realm: 'bsf.example.com',
    method: 'GET',
    uri: '/',
    qop: 'auth-int',
    nc: '00000001',
    cnonce: '0a4f113b',
    nonce: 'I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=',
    HA1: 'cf9bc02cc1f1ba8743644ff5638cf19d',
    HA2: '15df3e1aa09254633226c3d41891b148',
    response: 'e95e80275a826f37805af68025303143',
  },
  {
    source: 'own: RFC 2617 §3.2.3 rspauth for the crypto.md §7.6 exchange, qop=auth-int, empty response body (Python and openssl agree)',
    provenance: 'own',
    RAND: '23553CBE9637A89D218AE64DAE47BF35',
    AUTN: '55F328B43577B9B94A9FFAC354DFAFB3',
    RES: 'A54211D5E3BA50BF',
    username: '001010123456789@ims.mnc001.mcc001.3gppnetwork.org',
    realm: 'bsf.example.com',
    method: '',
    uri: '/',
    qop: 'auth-int',
    nc: '00000001',
    cnonce: '0a4f113b',
    nonce: 'I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=',
    HA1: 'cf9bc02cc1f1ba8743644ff5638cf19d',
    HA2: '8a8055cb714958143570d8424e6b99f0',
    response: '25fd2645e5ea8a4ebbb9071fe7397e6f',
  },
  {
    source: 'own: RFC 2617 §3.2.2 with qop=auth for the crypto.md §7.6 exchange (Python and openssl agree)',
    provenance: 'own',
    RAND: '23553CBE9637A89D218AE64DAE47BF35',
    AUTN: '55F328B43577B9B94A9FFAC354DFAFB3',
    RES: 'A54211D5E3BA50BF',
    username: '001010123456789@ims.mnc001.mcc001.3gppnetwork.org',
    realm: 'bsf.example.com',
    method: 'GET',
    uri: '/',
    qop: 'auth',
    nc: '00000001',
    cnonce: '0a4f113b',
    nonce: 'I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=',
    HA1: 'cf9bc02cc1f1ba8743644ff5638cf19d',
    HA2: '71998c64aea37ae77020c49c00f73fa8',
    response: 'add29a932351229dd3dee11575b2344e',
  },
] as const
