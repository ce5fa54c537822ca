/**
 * Errors of the store layer (STYLE.md §4). Driver errors (better-sqlite3, pg) never leave the
 * store raw: they are translated into these codes so services branch on `code`, not on driver
 * text. Messages name tables and identifiers, never key material.
 */
import { M2mSecError } from '../core/index.js'

/** Codes thrown by src/store (including src/store/custody). Add, never rename. */
export type StoreErrorCode =
  /** A unique identifier (KeID, RelativeKeyID, KpmID, …) already exists. */
  | 'M2MSEC_STORE_CONFLICT'
  /** An update or delete named a record that does not exist (or has expired). */
  | 'M2MSEC_STORE_NOT_FOUND'
  /** The database cannot be reached, is locked past the busy timeout, or failed on I/O. */
  | 'M2MSEC_STORE_UNAVAILABLE'
  /** A schema migration failed, or the database has a newer schema than this build knows. */
  | 'M2MSEC_STORE_MIGRATION'
  /** A sealed blob does not open under its record and purpose (thrown by custody). */
  | 'M2MSEC_STORE_SEAL_INVALID'
  /** A KEK is malformed, missing, or not among the loaded ones (thrown by custody). */
  | 'M2MSEC_STORE_KEK_INVALID'
  /** A KEK file is readable by others than its owner (thrown by custody). */
  | 'M2MSEC_STORE_KEK_INSECURE'
  /** KEK material or keyring unusable: wrong length, bad encoding, unknown or duplicate KEK id (custody). */
  | 'M2MSEC_STORE_KEK_INVALID'
  /** The KEK file is not a private regular file: group/world permissions, symlink or not a file (custody). */
  | 'M2MSEC_STORE_KEK_INSECURE'
  /** Identifier allocation kept colliding after every retry. */
  | 'M2MSEC_STORE_ID_EXHAUSTED'
  /** A stored value does not parse (hand-edited or corrupted row). */
  | 'M2MSEC_STORE_CORRUPT'
  /** The database rejected a query for a reason that is not one of the above (a bug). */
  | 'M2MSEC_STORE_QUERY_FAILED'

export class StoreError extends M2mSecError<StoreErrorCode> {}
