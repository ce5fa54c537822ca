/** The URL clients dial for a listening role: `https://host:port`, an IPv6 host in brackets. */
import { isIPv6 } from 'node:net'

export function httpsUrl(host: string, port: number): string {
  return `https://${isIPv6(host) ? `[${host}]` : host}:${port}`
}
