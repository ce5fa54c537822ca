export {
  ECCSI_SCALAR_LENGTH,
  ECCSI_POINT_LENGTH,
  ECCSI_SIGNATURE_LENGTH,
} from './params.js'
export type { RandomScalarSeam } from './params.js'
export { generateKmsMasterKey, issueSigningKey } from './kms.js'
export type { KmsMasterKey, IssuedSigningKey } from './kms.js'
export { validateSigningKey } from './ssk-validation.js'
export type { ValidatedSigningKey } from './ssk-validation.js'
export { eccsiPublicKey } from './identity-public-key.js'
export { createEccsiSigner, signEccsi } from './sign.js'
export type { EccsiKeyMaterial, EccsiSigner } from './sign.js'
export { createEccsiVerifier, verifyEccsi, DEFAULT_VERIFIER_CACHE_SIZE } from './verify.js'
export type { EccsiVerifier, EccsiVerifierOptions } from './verify.js'
export { verifyEccsiReference } from './verify-reference.js'
export type { EccsiRefusal, EccsiVerification, EccsiVerifyKey } from './signature.js'
