/**
 * `m2msec serve admin`: the admin REST API alone on a data directory (ARCHITECTURE.md §1 `admin`;
 * issue 8; admin-api.md), on the same store as the roles it administers (one SQLite file shared
 * with the processes on this host, or PostgreSQL for many). Creates the admin token on first use
 * and prints it once; prints one JSON ready line on stdout once listening
 * (`{"role":"admin","port":N,…}`), request events as JSON lines on stderr, and exits 0 on
 * SIGTERM or SIGINT after closing its port and store.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { createAdminService, ensureAdminToken, readAdminTokenHash } from '../../services/admin/index.js'
import { auditLinker } from '../../store/index.js'
import { addLogLevelOption, serveEventSink } from '../observability/serve-log.js'
import { parseListen } from '../options.js'
import { readyLine, serveOnStore } from '../serve-lifecycle.js'
import { adminOperations } from '../up/admin-operations.js'
import { describeAdminEvent } from '../up/admin-role.js'
import { readPackageVersion } from '../version.js'

interface ServeAdminOptions {
  readonly dataDir: string
  readonly listen: string
  readonly cert: string
  readonly key: string
  readonly clientCa: string
  readonly logLevel: string
}

async function serveAdmin(options: ServeAdminOptions): Promise<void> {
  const listen = parseListen(options.listen)
  const read = (path: string): string => readFileSync(path, 'utf8')
  const onEvent = serveEventSink('admin', options)
  const credential = { certPem: read(options.cert), keyPem: read(options.key) }
  const clientCaPem = read(options.clientCa)
  let token: string | undefined
  await serveOnStore(options.dataDir, (store) => {
    token = ensureAdminToken(options.dataDir).created
    return createAdminService({
      store, auditLink: auditLinker(), operations: adminOperations(store), clock: () => new Date(),
      tokenHash: () => readAdminTokenHash(options.dataDir), credential, clientCaPem, listen, version: readPackageVersion(),
      onEvent: (event) => onEvent(describeAdminEvent(event)),
    })
  }, (service) => [
    readyLine('admin', service, { tokenCreated: token !== undefined }),
    // The only time the token exists in clear: the data directory keeps its hash.
    ...(token === undefined ? [] : [`admin token (shown once): ${token}`]),
  ])
}

/** Adds `admin` under `m2msec serve`. */
export function registerServeAdminCommand(serve: Command): void {
  addLogLevelOption(serve
    .command('admin'))
    .description('admin REST API (OpenAPI at /openapi.json): enrolees, registrations, gateway credentials and rules, audit, health')
    .requiredOption('--data-dir <dir>', 'data directory (store, KEK, admin token hash; created when missing)')
    .requiredOption('--cert <file>', 'PEM certificate of the admin FQDN (leaf first)')
    .requiredOption('--key <file>', 'PEM private key of that certificate')
    .requiredOption('--client-ca <file>', 'PEM CA that operator client certificates (URI SAN urn:m2msec:operator:…) must chain to')
    .option('--listen <host:port>', 'address to listen on (port 0: any free port)', '127.0.0.1:0')
    .action((options: ServeAdminOptions) => serveAdmin(options))
}
