// The public surface of src/onem2m: oneM2M primitives, the HTTP binding, status codes, resource
// representations and the MEF/MAF names of our TS-0032 proposal. Other layers import only this.
export { RSC, HTTP_STATUS_BY_RSC, httpStatusForRsc, isResponseStatusCode, isSuccessRsc, rscName } from './response-status.js'
export type { ResponseStatusCode, RscName } from './response-status.js'
export { OneM2mError, RSC_BY_KIND, clip, debugTextForError, kindForRsc, malformed, refused, rscForError, tooLarge } from './errors.js'
export type { OneM2mErrorCode, OneM2mErrorOptions, RscOverrides } from './errors.js'
export { errorResponse, requestContextOf } from './error-response.js'
export type { RequestContext } from './error-response.js'
export { DEFAULT_LIMITS } from './limits.js'
export type { OneM2mLimits } from './limits.js'
export { isJsonObject, jsonDepth, parseJsonBody, serializeJson } from './json.js'
export type { JsonObject, JsonValue } from './json.js'
export { OPERATION, HTTP_METHOD_BY_OPERATION, isOperation } from './operation.js'
export type { Operation } from './operation.js'
export {
  RESULT_CONTENT, RESPONSE_TYPE, DESIRED_IDENTIFIER_RESULT_TYPE, FILTER_USAGE, FILTER_OPERATION, CONTENT_STATUS,
  SUPPORTED_RELEASE_VERSIONS, DEFAULT_RELEASE_VERSION,
} from './parameter-values.js'
export { RESOURCE_TYPE, M2M_ROOT_BY_TYPE, isResourceTypeNumber } from './resource-type.js'
export type { ResourceTypeCode } from './resource-type.js'
export { formatTimestamp, isAbsRelTimestamp, isTimestamp, parseTimestamp } from './timestamp.js'
export { formatTo, fromHttpPath, parseTo, toHttpPath } from './resource-id.js'
export type { ResourceIdForm, TargetId } from './resource-id.js'
export { checkReleaseVersion, checkRequestPrimitive, checkResponsePrimitive } from './primitive.js'
export type {
  AttributeCondition, FilterCriteria, LocalTokenIdAssignment, PrimitiveCheckOptions, RequestPrimitive, ResponsePrimitive, ResponseTypeInfo,
} from './primitive.js'
export { readRequestPrimitive, readResponsePrimitive, writeRequestPrimitive, writeResponsePrimitive } from './primitive-json.js'
export {
  PRIMITIVE_PARAMETER_NAMES, UNIVERSAL_ATTRIBUTE_NAMES, FILTER_CRITERIA_SCHEMA, assertShortNames, resourceAttributeSchema, toShortNames,
} from './short-names.js'
export type { NameSchema } from './short-names.js'
export { TS0004_SCHEMAS } from './resource-schemas.js'
export type { ResourceSchema } from './resource-schemas.js'
export {
  DEFAULT_SCHEMA_REGISTRY, canonicalRoot, createSchemaRegistry, debugContent, readRepresentation, schemaForRoot, schemaForType,
  writeRepresentation,
} from './representation.js'
export type { Representation, SchemaRegistry } from './representation.js'
export { HEADER, readHeaders } from './http-message.js'
export type { HeaderReader, HttpHeaders, HttpRequestMessage, HttpResponseMessage } from './http-message.js'
export { MEDIA_TYPE, formatContentType, negotiateResponseMediaType, parseContentType } from './content-type.js'
export type { ContentType } from './content-type.js'
export { formatQuery, parseQuery } from './http-query.js'
export type { QueryParameters } from './http-query.js'
export { decodeHttpRequest, encodeHttpRequest } from './http-request.js'
export type { DecodedHttpRequest, EncodeRequestOptions, HttpBindingOptions } from './http-request.js'
export { decodeHttpResponse, encodeHttpResponse } from './http-response.js'
export type { DecodedHttpResponse, EncodeResponseOptions } from './http-response.js'
export {
  SEC_PREFIX, SEC_ACCEPTED_PREFIXES, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT, MEF_MAF_NAMES, MEF_MAF_PATHS, MEF_MAF_SCHEMAS,
  CMD_DESCRIPTION_SCHEMA,
} from './mef-maf-names.js'
export { CMD_CLASS_ID, CMD_STATUS_CODE, DEV_MGMT_ID, CERT_PROV_PROTOCOL_ID, CERT_SUBJECT_TYPE, OBJECT_TYPE_ID } from './sec-enumerations.js'
export {
  readClientReg, readClientRegCreate, readClientRegUpdate, readServerBase, readSymmKeyReg, readSymmKeyRegCreate, readSymmKeyRegUpdate,
  writeClientReg, writeServerBase, writeSymmKeyReg,
} from './mef-maf-resources.js'
export type {
  ChildResourceRef, ClientReg, ClientRegCreate, ClientRegUpdate, CommonAttributes, MefMafServer, ServerBase, SymmKeyReg, SymmKeyRegCreate,
  SymmKeyRegUpdate,
} from './mef-maf-resources.js'
export { readClientCmd, readClientCmdReport, writeClientCmd, writeClientCmdReport } from './mef-client-command.js'
export type { ClientCmd, ClientCmdReport, CmdArgs, CmdDescription } from './mef-client-command.js'
export { fetchCredentialsTo, parseFetchCredentialsTarget, readFetchCredentialsResult, writeFetchCredentialsResult } from './fetch-credentials.js'
export type { FetchCredentialsResult, FetchCredentialsTarget } from './fetch-credentials.js'
export { readIbcCredRequest, readIbcCredResponse, writeIbcCredRequest, writeIbcCredResponse } from './ibc-credential.js'
export type { IbcCredRequest, IbcCredResponse } from './ibc-credential.js'
export { readClientCfg, writeClientCfg } from './client-cfg.js'
export type { ClientCfg, KeyRegCfg } from './client-cfg.js'
