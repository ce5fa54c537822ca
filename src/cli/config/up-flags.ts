/**
 * The flags of `m2msec up` that set configuration keys, declared once for `up` and for
 * `m2msec config check|show` (which show what `up` would run with the same flags). They have no
 * commander default on purpose: a flag that was not typed must not hide the file or the
 * environment (precedence defaults < file < environment < flags, issue 8).
 */
import type { Command } from 'commander'
import { TARGET_KEY_MODES } from '../../core/index.js'
import { collect } from '../options.js'
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_LOG_LEVEL, DEFAULT_TARGET_KEY_MODE, DEFAULT_UPSTREAM_TIMEOUT_MS, LOG_LEVELS } from './config-keys.js'
import { CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE } from './load-config.js'

export function addUpConfigOptions(command: Command): Command {
  return command
    .option('--config <file>', `configuration file (default: $${CONFIG_FILE_ENV}, else ./${DEFAULT_CONFIG_FILE} when it exists); each option below is also a key there and an M2MSEC_ variable (docs/configuration.md)`)
    .option('--data-dir <dir>', `data directory: development CA, certificates, KEK, database, created on first start (default: ${DEFAULT_DATA_DIR})`)
    .option('--host <address>', `address every role listens on (default: ${DEFAULT_HOST})`)
    .option('--roles <list>', 'comma-separated roles to run (default: every role)')
    .option('--port <role=port>', 'fixed port for a role (repeatable; default: the port of the last run when free, else any)', collect)
    .option('--mode <mode>', `key the MEF gives Enrolment Targets (OQ-6): ${TARGET_KEY_MODES.join(' | ')} (default: ${DEFAULT_TARGET_KEY_MODE})`)
    .option('--log-level <level>', `least severe level logged: ${LOG_LEVELS.join(' | ')} (default: ${DEFAULT_LOG_LEVEL})`)
    .option('--gateway-upstream <url>', 'base URL of an outside oneM2M CSE for the gateway to front instead of the cse role (with the two options below)')
    .option('--gateway-upstream-cse-id <id>', 'absolute CSE-ID //sp-domain/cse-id of that outside CSE')
    .option('--gateway-upstream-cse-base-name <name>', 'CSEBase resource name of that outside CSE')
    .option('--gateway-upstream-timeout-ms <ms>', `bound on one gateway-to-CSE exchange (default: ${DEFAULT_UPSTREAM_TIMEOUT_MS})`)
}
