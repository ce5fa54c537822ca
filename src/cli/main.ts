#!/usr/bin/env node
/**
 * The `m2msec` command. Each subcommand lives in its own module under src/cli/commands; this
 * file only wires them into commander and turns coded errors into a clean exit status.
 */
import { Command, CommanderError } from 'commander'
import { M2mSecError } from '../core/index.js'
import { registerAdminCommands } from './commands/admin.js'
import { registerAuditCommand } from './commands/audit.js'
import { registerEnrolCommand } from './commands/enrol.js'
import { registerEnroleeCommands } from './commands/enrolee.js'
import { registerEnrolmentCommands } from './commands/enrolments.js'
import { registerKeyCommands } from './commands/key.js'
import { registerServeCommand } from './commands/serve.js'
import { registerMafCommands } from './commands/maf.js'
import { registerServeMafCommand } from './commands/serve-maf.js'
import { registerServeCseCommand } from './commands/serve-cse.js'
import { registerServeGatewayCommand } from './commands/serve-gateway.js'
import { registerServeAdminCommand } from './commands/serve-admin.js'
import { registerRuleCommands } from './commands/rule.js'
import { registerPskCommands } from './commands/psk.js'
import { registerConnectCommand } from './commands/connect.js'
import { registerUpCommand } from './commands/up.js'
import { registerConfigCommand } from './commands/config.js'
import { registerDemoCommand } from './commands/demo.js'
import { openDataDirectoryAuditSource } from './data-directory-audit.js'
import { UsageError } from './options.js'
import { readPackageVersion } from './version.js'

export function buildProgram(): Command {
  const program = new Command()
  program
    .name('m2msec')
    .description('oneM2M security frameworks (TS-0003): enrolment (MEF), key brokering (MAF), security associations')
    .version(readPackageVersion(), '-v, --version')
    .showHelpAfterError()
  program
    .command('help [command]')
    .description('show help for m2msec or one of its commands')
    .action((name: string | undefined) => {
      const target = name ? program.commands.find((c) => c.name() === name) : undefined
      ;(target ?? program).outputHelp()
    })
  registerUpCommand(program)
  registerConfigCommand(program)
  registerDemoCommand(program)
  registerAuditCommand(program, { openAuditSource: openDataDirectoryAuditSource })
  registerAdminCommands(program)
  registerEnroleeCommands(program)
  registerEnrolmentCommands(program)
  registerEnrolCommand(program)
  registerKeyCommands(program)
  const serve = registerServeCommand(program)
  registerServeMafCommand(serve)
  registerServeCseCommand(serve)
  registerServeGatewayCommand(serve)
  registerServeAdminCommand(serve)
  registerRuleCommands(program)
  registerPskCommands(program)
  registerConnectCommand(program)
  registerMafCommands(program)
  return program
}

async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram().exitOverride()
  try {
    await program.parseAsync(argv as string[])
    return process.exitCode === undefined ? 0 : Number(process.exitCode)
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    if (error instanceof UsageError) {
      console.error(`m2msec: ${error.message}`)
      return 2
    }
    if (error instanceof M2mSecError) {
      console.error(`m2msec: ${error.message} [${error.code}]`)
      return 1
    }
    throw error
  }
}

process.exitCode = await main(process.argv)
