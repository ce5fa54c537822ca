export { Milenage, computeOpc, RAND_BYTES, SQN_BYTES, AMF_BYTES, MAC_BYTES, AK_BYTES } from './milenage.js'
export type { OperatorVariant, MilenageKeys, MilenageOutputs } from './milenage.js'
export {
  buildAutn,
  generateAuthenticationVector,
  verifyAutn,
  buildAuts,
  verifyAuts,
  AUTN_BYTES,
  AUTS_BYTES,
} from './autn.js'
export type { AuthenticationVector, AutnVerdict, AutsVerdict } from './autn.js'
