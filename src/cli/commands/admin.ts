/**
 * `m2msec admin token rotate [--data-dir DIR]`: replaces the admin API token of a data directory
 * (issue 8 "an admin token generated at first start (printed once, stored hashed)"; D-151). The new
 * token is printed once, alone on stdout so it can be redirected into a token file; only its
 * SHA-256 is kept, in `<data>/admin-token.sha256`. A running admin role reads the hash per request,
 * so the old token stops working at once, without a restart.
 */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { ADMIN_TOKEN_FILE, rotateAdminToken } from '../../services/admin/index.js'
import { DEFAULT_DATA_DIR } from '../operator-backend/local-store.js'
import { UsageError } from '../options.js'

const TOKEN_HELP = `
The admin token authenticates to the admin API (Authorization: Bearer <token>; for the CLI's
--server: env M2MSEC_ADMIN_TOKEN or --token-file). It is printed once — by the first
\`m2msec up\` of a data directory and by \`m2msec admin token rotate\` — and never stored in clear:
<data-dir>/${ADMIN_TOKEN_FILE} holds only its SHA-256 (hex, mode 0600). Lost it? Rotate.`

/** Adds `admin token rotate` to `program`. */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('administer the admin API of a data directory')
  const token = admin.command('token').description(`the admin API token (only its hash is kept, in <data-dir>/${ADMIN_TOKEN_FILE})`).addHelpText('after', TOKEN_HELP)
  token
    .command('rotate')
    .description('replace the admin token; prints the new one once (the old one stops working at once)')
    .option('--data-dir <dir>', 'data directory (as given to m2msec up)', DEFAULT_DATA_DIR)
    .addHelpText('after', TOKEN_HELP)
    .action((options: { dataDir: string }) => {
      if (!existsSync(options.dataDir) || !statSync(options.dataDir).isDirectory()) {
        throw new UsageError(`no data directory at ${options.dataDir} (run \`m2msec up\` once, or give --data-dir)`)
      }
      const fresh = rotateAdminToken(options.dataDir)
      console.error(`new admin token for ${options.dataDir}; shown this once, only its SHA-256 is kept in ${join(options.dataDir, ADMIN_TOKEN_FILE)}:`)
      console.log(fresh)
    })
}
