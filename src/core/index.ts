export { M2mSecError, CoreError, hasErrorCode } from './errors.js'
export type { ErrorKind, CoreErrorCode } from './errors.js'
export { SecretBytes } from './secret.js'
export { toHex, fromHex, toBase64Url, concatBytes, utf8Nfkc, ascii, i2osp, os2ip, assertLength } from './bytes.js'
