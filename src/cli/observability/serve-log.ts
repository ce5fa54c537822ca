/**
 * Logging for the `serve <role>` commands (issue 8): the same JSON lines as `m2msec up` — one per
 * request and handshake, each with `role` — through the same allowlist and logger, at the level
 * `--log-level` names. A role served alone has no admin role to expose metrics, so none are kept.
 */
import type { Command } from 'commander'
import { createEventSink, type EventSink } from './event-sink.js'
import { createLogger, DEFAULT_LOG_LEVEL, LOG_LEVELS } from './logger.js'

export interface ServeLogOptions {
  readonly logLevel?: string
}

/** Adds `--log-level` to a serve command. */
export function addLogLevelOption(command: Command): Command {
  return command.option('--log-level <level>', `least severe level logged (JSON lines on stderr): ${LOG_LEVELS.join(' | ')}`, DEFAULT_LOG_LEVEL)
}

/** The sink of one served role. @throws UsageError for an unknown level. */
export function serveEventSink(role: string, options: ServeLogOptions): EventSink {
  const sink = createEventSink(createLogger({ level: options.logLevel ?? DEFAULT_LOG_LEVEL }))
  return (event) => sink({ ...event, role })
}
