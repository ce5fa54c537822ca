/**
 * Runs a store operation and converts driver failures into StoreError (driver-errors.ts), so
 * no better-sqlite3 or pg error escapes the store.
 */
import { translateDriverError } from './driver-errors.js'

export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw translateDriverError(error, operation)
  }
}
