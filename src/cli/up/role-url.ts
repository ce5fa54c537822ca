/** The URL clients dial for a listening role: `https://host:port` (or `http://` for a plain role), an IPv6 host in brackets. */
import { isIPv6 } from 'node:net'

function hostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`
}

export function httpsUrl(host: string, port: number): string {
  return `https://${hostPort(host, port)}`
}

/** Plain HTTP: only the reference CSE, which listens on loopback behind the gateway (D-121). */
export function httpUrl(host: string, port: number): string {
  return `http://${hostPort(host, port)}`
}
