/**
 * Errors of the CLI itself (as opposed to the layers it calls): talking to a remote admin API
 * with `--server`. An error the admin API answered keeps the API's own code (CliRemoteError), so a
 * script sees the same code whether the command ran locally or against a server.
 */
import { M2mSecError, type ErrorKind } from '../core/index.js'

export type CliErrorCode =
  | 'M2MSEC_CLI_SERVER_UNREACHABLE'
  | 'M2MSEC_CLI_SERVER_ANSWER_INVALID'
  | 'M2MSEC_CLI_SERVER_CREDENTIAL_MISSING'

export class CliError extends M2mSecError<CliErrorCode> {}

/** An error the admin API returned: its code, kind and message as sent (they are safe for an operator by design). */
export class CliRemoteError extends M2mSecError {
  readonly status: number

  constructor(code: string, kind: ErrorKind, message: string, status: number) {
    super(code, kind, message)
    this.status = status
  }
}
