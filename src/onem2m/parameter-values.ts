/**
 * Enumerated values of request/response parameters (TS-0004 §6.3.4.2): resultContent,
 * responseType, desIdResType, filterUsage, filterOperation, contentStatus, and the release
 * versions we accept in `rvi` (wire.md §1.5).
 */

/** m2m:resultContent, §6.3.4.2.7. */
export const RESULT_CONTENT = {
  NOTHING: 0,
  ATTRIBUTES: 1,
  HIERARCHICAL_ADDRESS: 2,
  HIERARCHICAL_ADDRESS_AND_ATTRIBUTES: 3,
  ATTRIBUTES_AND_CHILD_RESOURCES: 4,
  ATTRIBUTES_AND_CHILD_RESOURCE_REFERENCES: 5,
  CHILD_RESOURCE_REFERENCES: 6,
  ORIGINAL_RESOURCE: 7,
  CHILD_RESOURCES: 8,
  MODIFIED_ATTRIBUTES: 9,
  SEMANTIC_CONTENT: 10,
} as const

/** m2m:responseType, §6.3.4.2.6. */
export const RESPONSE_TYPE = {
  NON_BLOCKING_REQUEST_SYNCH: 1,
  NON_BLOCKING_REQUEST_ASYNCH: 2,
  BLOCKING_REQUEST: 3,
  FLEX_BLOCKING: 4,
  NO_RESPONSE: 5,
} as const

/** m2m:desIdResType, §6.3.4.2.8. */
export const DESIRED_IDENTIFIER_RESULT_TYPE = { STRUCTURED: 1, UNSTRUCTURED: 2 } as const

/** m2m:filterUsage, §6.3.4.2.31. */
export const FILTER_USAGE = { DISCOVERY: 1, CONDITIONAL_RETRIEVAL: 2, IPE_ON_DEMAND_DISCOVERY: 3 } as const

/** m2m:filterOperation, §6.3.4.2.34: how the conditions of a filter combine (V3.32 has no XOR). */
export const FILTER_OPERATION = { AND: 1, OR: 2 } as const

/** m2m:contentStatus, §6.3.4.2.44. */
export const CONTENT_STATUS = { PARTIAL_CONTENT: 1, FULL_CONTENT: 2 } as const

/**
 * Release versions a request may name in `rvi` (wire.md §1.5: 2, 2a, 3 of R3 plus 4, 5 that
 * ACME sends). An absent `rvi` is a Release-1 request and is always accepted.
 */
export const SUPPORTED_RELEASE_VERSIONS: readonly string[] = ['2', '2a', '3', '4', '5']

/** The `rvi` we send on our own requests. */
export const DEFAULT_RELEASE_VERSION = '3'
