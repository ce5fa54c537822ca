/**
 * The MEF's side of MEF Client Command processing (TS-0003 8.3.9, frameworks.md §19;
 * mef-maf-interface.md §3.5): the one current command of a registration, which the client
 * reads (Command Retrieve) and answers (Command Update), receiving the next one in the same
 * response. Commands other than NO_MORE_COMMANDS come from the administrating stakeholder
 * (admin API, later issue); until then every registration holds NO_MORE_COMMANDS with a retry
 * duration, so the childResource reference of K5 always points somewhere real.
 */
import { CMD_CLASS_ID, CMD_STATUS_CODE, OneM2mError, type CmdArgs, type ClientCmd, type JsonValue } from '../../onem2m/index.js'
import type { ClientCommand } from '../../store/index.js'

/** sec:noMoreCmdArgs retryDuration the MEF hands out (xs:duration, OQ-32). */
export const DEFAULT_RETRY_DURATION = 'PT24H'

/** The stored form of a command description: the typed CmdDescription as plain JSON. */
function describe(ccid: number, tgid: string | undefined, args: CmdArgs): JsonValue {
  return { ccid, ...(tgid === undefined ? {} : { tgid }), args: { ...args } }
}

/** NO_MORE_COMMANDS, issued (status 10), with command id `cmdId`. */
export function noMoreCommands(cmdId: string, targetId: string | undefined, retryDuration = DEFAULT_RETRY_DURATION): ClientCommand {
  return {
    cmdId,
    description: describe(CMD_CLASS_ID.NO_MORE_COMMANDS, targetId, { kind: 'noMoreCmd', rtdu: retryDuration }),
    status: CMD_STATUS_CODE.MEF_CLIENT_CMD_ISSUED,
  }
}

/** The first command of a new registration. */
export function initialCommand(targetId: string | undefined): ClientCommand {
  return noMoreCommands('1', targetId)
}

/** The command after `current` (ids count up as decimal text; compared as text, Q4). */
export function nextCommand(current: ClientCommand, targetId: string | undefined): ClientCommand {
  const n = /^\d{1,15}$/.test(current.cmdId) ? Number(current.cmdId) + 1 : 1
  return noMoreCommands(String(n), targetId)
}

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function corrupt(): OneM2mError {
  return new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'stored client command does not decode')
}

/**
 * The wire command of a stored one.
 * @throws OneM2mError (internal, 5000) for a stored description this MEF did not write.
 */
export function clientCmdOf(command: ClientCommand): ClientCmd {
  const d = command.description
  if (!isObject(d) || typeof d.ccid !== 'number' || !isObject(d.args)) throw corrupt()
  const args = d.args
  if (args.kind !== 'noMoreCmd' || typeof args.rtdu !== 'string') throw corrupt()
  const tgid = typeof d.tgid === 'string' ? d.tgid : undefined
  return { cmid: command.cmdId, cmst: command.status, cmdd: { ccid: d.ccid, ...(tgid === undefined ? {} : { tgid }), args: { kind: 'noMoreCmd', rtdu: args.rtdu } } }
}
