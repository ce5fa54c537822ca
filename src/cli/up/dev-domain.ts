/**
 * The names of the development deployment `m2msec up` runs (D-140, D-141). Its own module so
 * role modules can use it without importing the role registry that imports them.
 *
 * RFC 6761 reserves `.localhost` for loopback: these names can never collide with a real host.
 * They do not necessarily resolve (glibc without nss-myhostname does not), so clients dial the
 * printed address and name the FQDN for SNI, Host and identifiers (`--mef-fqdn`, `--maf-fqdn`).
 */
export const DEV_DOMAIN = 'm2msec.localhost'

export function devFqdn(role: string): string {
  return `${role}.${DEV_DOMAIN}`
}
