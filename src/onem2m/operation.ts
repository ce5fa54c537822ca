/**
 * Operation codes (TS-0004 §6.3.4.2.5, m2m:operation) and their HTTP methods (TS-0009 §6.2.1).
 * POST carries both CREATE and NOTIFY; the `ty` parameter of Content-Type tells them apart.
 */

export const OPERATION = {
  CREATE: 1,
  RETRIEVE: 2,
  UPDATE: 3,
  DELETE: 4,
  NOTIFY: 5,
} as const

export type Operation = (typeof OPERATION)[keyof typeof OPERATION]

export function isOperation(value: unknown): value is Operation {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5
}

export const HTTP_METHOD_BY_OPERATION: Readonly<Record<Operation, 'POST' | 'GET' | 'PUT' | 'DELETE'>> = {
  1: 'POST',
  2: 'GET',
  3: 'PUT',
  4: 'DELETE',
  5: 'POST',
}
