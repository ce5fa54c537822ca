/**
 * The process logger of the CLI (issue 8: "structured (pino), one line per request/handshake
 * with a request id, never a secret"). Only src/cli owns a logger (STYLE.md §10); services report
 * through onEvent and event-sink.ts turns each event into one line here.
 *
 * Lines are JSON (pino): `level` as a word, ISO `time`, `pid`, then the event's allowlisted
 * fields (event-fields.ts). They go to stderr by default, not stdout: stdout already carries a
 * contract — `serve`'s ready line, `up`'s human summary — that tools and tests read (D-160).
 * `file` sends them to a file instead (appended, created with its directory). Writes are
 * synchronous so a line is out before the process exits and lines of one process never
 * interleave mid-line; at one line per request this costs microseconds (D-161).
 *
 * `redact` is the second net behind the allowlist: any key-ish field name that ever reaches the
 * logger, at the top level or one level down, is censored.
 */
import { pino, type Logger } from 'pino'
import { UsageError } from '../options.js'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const DEFAULT_LOG_LEVEL: LogLevel = 'info'

/** Field names that would only ever hold key material or credentials. */
const SECRET_NAMES = ['key', 'keys', 'psk', 'kpsa', 'kpm', 'ke', 'km', 'kc', 'kek', 'kyv', 'cred', 'secret', 'password', 'token', 'privateKey', 'keyPem']
export const REDACTED_PATHS: readonly string[] = [...SECRET_NAMES, ...SECRET_NAMES.map((name) => `*.${name}`)]

export interface LoggerOptions {
  readonly level?: string
  /** Append JSON lines to this file instead of stderr. */
  readonly file?: string
}

/** @throws UsageError for a level pino does not know. */
export function parseLogLevel(text: string | undefined): LogLevel {
  const level = text ?? DEFAULT_LOG_LEVEL
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${level}'`)
  return level as LogLevel
}

/**
 * A pino logger writing JSON lines to stderr (or `options.file`).
 * @throws UsageError for an unknown level.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = parseLogLevel(options.level)
  const destination = pino.destination(options.file === undefined ? { dest: 2, sync: true } : { dest: options.file, sync: true, mkdir: true, append: true })
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  }, destination)
}
