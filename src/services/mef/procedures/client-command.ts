/**
 * MEF Client Command Retrieve and Update (TS-0003 8.3.9.2, 8.3.9.3; mef-maf-interface.md §4.2)
 * on the `<mefClientCmd>` child of the client's own registration. An Update reporting the
 * current cmid moves the queue on and answers with the next command; a report naming another
 * cmid is ignored (8.3.9.3 step 2b) and answered with the current command. An unparsable
 * Update is 4000 BAD_REQUEST (K9).
 */
import { RSC, readClientCmdReport, refused, writeClientCmd } from '../../../onem2m/index.js'
import type { ClientCommand } from '../../../store/index.js'
import type { OneM2mReply } from '../../../transport/index.js'
import { ownRegistration, requireEnrolee } from '../access.js'
import { appendMefAudit, MEF_AUDIT_ACTION } from '../audit.js'
import { clientCmdOf, initialCommand, nextCommand } from '../client-command-queue.js'
import type { MefDeps, MefRequest } from '../context.js'
import { reply } from '../reply.js'

/** Command Retrieve: RETRIEVE `mef/<regId>/cmd` → 2000 with the current command. */
export async function retrieveClientCommand(request: MefRequest, deps: MefDeps, regId: string): Promise<OneM2mReply> {
  const peer = requireEnrolee(request)
  const reg = await deps.store.transaction((tx) => ownRegistration(tx, deps.config, peer, regId, request.now))
  const command = reg.command ?? initialCommand(reg.clientId)
  return commandReply(request, RSC.OK, command)
}

/** Command Update: UPDATE `mef/<regId>/cmd` with {cmid, cmst} → 2004 with the next command. */
export async function updateClientCommand(request: MefRequest, deps: MefDeps, regId: string): Promise<OneM2mReply> {
  const peer = requireEnrolee(request)
  const report = readClientCmdReport(request.primitive.pc)
  const command = await deps.store.transaction(async (tx) => {
    const reg = await ownRegistration(tx, deps.config, peer, regId, request.now)
    const current = reg.command ?? initialCommand(reg.clientId)
    if (report.cmid !== current.cmdId) return current
    const next = nextCommand(current, reg.clientId)
    await tx.clientRegistrations.setCommand(regId, next)
    await appendMefAudit(tx, deps, {
      action: MEF_AUDIT_ACTION.clientCommand, at: request.now, outcome: 'ok',
      subject: { regId, clientId: peer.clientId, cmdId: report.cmid, cmdStatusCode: report.cmst, nextCmdId: next.cmdId },
    })
    return next
  })
  return commandReply(request, RSC.UPDATED, command)
}

/** DELETE of the command child is not allowed (mef-maf-interface.md §3.7). */
export function deleteClientCommand(): never {
  throw refused(RSC.OPERATION_NOT_ALLOWED, 'the MEF client command resource cannot be deleted')
}

function commandReply(request: MefRequest, rsc: number, command: ClientCommand): OneM2mReply {
  return reply(request.primitive, rsc, writeClientCmd(clientCmdOf(command)))
}
