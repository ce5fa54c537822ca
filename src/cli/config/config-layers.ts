/**
 * The three layers that can set a configuration key, read and checked one by one so that each
 * problem names where it came from: the YAML file (`<file>: key.path: why`), the environment
 * (`M2MSEC_<KEY_PATH>: why`) and the `m2msec up` flags (`--flag: why`). A layer is a plain
 * object with the shape of the YAML file; merging them is load-config.ts's job.
 */
import { readFileSync, statSync } from 'node:fs'
import { LineCounter, parseDocument } from 'yaml'
import type { ConfigProblem, ConfigSource } from './config-error.js'
import { envName, keyName, type ConfigKey } from './config-keys.js'
import { nearest, type LayerValidator } from './config-schema.js'

export type Layer = Readonly<Record<string, unknown>>

export interface LayerResult {
  readonly layer: Layer
  /** Where each key this layer sets came from (dotted path → source). */
  readonly sources: ReadonlyMap<string, ConfigSource>
  readonly problems: readonly ConfigProblem[]
  readonly warnings: readonly string[]
}

/** A configuration file is a few hundred bytes; anything this large is not one. */
const MAX_FILE_BYTES = 1024 * 1024
/** Aliases expand; a small bound keeps a hostile file from inflating (YAML "billion laughs"). */
const MAX_ALIAS_COUNT = 50

/** The value at `path`, or undefined. */
export function valueAt(layer: Layer, path: readonly string[]): unknown {
  let node: unknown = layer
  for (const part of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

function setAt(layer: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = layer
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
  node[path.at(-1)!] = value
}

function setKeys(keys: readonly ConfigKey[], layer: unknown, source: ConfigSource): Map<string, ConfigSource> {
  const sources = new Map<string, ConfigSource>()
  if (typeof layer !== 'object' || layer === null) return sources
  for (const k of keys) if (valueAt(layer as Layer, k.path) !== undefined) sources.set(keyName(k.path), source)
  return sources
}

function readText(path: string, source: ConfigSource): { text?: string; problem?: ConfigProblem } {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return { problem: { source, why: `larger than ${MAX_FILE_BYTES} bytes: not a configuration file` } }
    return { text: readFileSync(path, 'utf8') }
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable'
    return { problem: { source, why: `cannot be read (${code})` } }
  }
}

/**
 * The YAML file as a layer. An empty file sets nothing.
 * @param display how messages name the file (as the user gave it).
 */
export function fileLayer(path: string, display: string, keys: readonly ConfigKey[], validate: LayerValidator): LayerResult {
  const source: ConfigSource = { kind: 'file', file: display }
  const read = readText(path, source)
  if (read.text === undefined) return { layer: {}, sources: new Map(), problems: [read.problem!], warnings: [] }
  const lines = new LineCounter()
  const document = parseDocument(read.text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines })
  if (document.errors.length > 0) {
    // The parser's own words, without its excerpt of the file (which could show a value).
    const problems = document.errors.map((e): ConfigProblem => {
      const at = lines.linePos(e.pos[0])
      return { source, key: `line ${at.line}, column ${at.col}`, why: e.message.split('\n')[0]! }
    })
    return { layer: {}, sources: new Map(), problems, warnings: [] }
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}
  } catch {
    return { layer: {}, sources: new Map(), problems: [{ source, why: `uses more than ${MAX_ALIAS_COUNT} alias expansions` }], warnings: [] }
  }
  const problems = validate(value).map((p): ConfigProblem => ({ source, key: p.key, why: p.why }))
  if (problems.length > 0) return { layer: {}, sources: new Map(), problems, warnings: [] }
  return { layer: value as Layer, sources: setKeys(keys, value, source), problems: [], warnings: [] }
}

/**
 * Prefixes that belong to configuration sections, at every depth (`M2MSEC_GATEWAY_`,
 * `M2MSEC_GATEWAY_UPSTREAM_`): an unknown name under them is a typo, refused. Built from the
 * section path, not by cutting the variable at its last `_`, which would split a camelCase leaf
 * (`cseBaseName` → `…_CSE_BASE_NAME`).
 */
function sectionPrefixes(keys: readonly ConfigKey[]): string[] {
  return [...new Set(keys.flatMap((k) => k.path.slice(0, -1).map((_, i) => `${envName(k.path.slice(0, i + 1))}_`)))]
}

/**
 * `M2MSEC_<KEY_PATH>` variables as a layer. Other M2MSEC_ variables exist (M2MSEC_KEK,
 * M2MSEC_CONFIG, …): an unknown name is refused only under a section prefix (M2MSEC_PORTS_…)
 * and is a warning when it is two edits from a configuration variable.
 */
export function envLayer(env: NodeJS.ProcessEnv, keys: readonly ConfigKey[], validate: LayerValidator): LayerResult {
  const layer: Record<string, unknown> = {}
  const byKey = new Map<string, ConfigKey>()
  const names = keys.map((k) => k.env)
  const problems: ConfigProblem[] = []
  const warnings: string[] = []
  for (const k of keys) {
    const text = env[k.env]
    if (text === undefined) continue
    setAt(layer, k.path, k.fromEnv(text))
    byKey.set(keyName(k.path), k)
  }
  const prefixes = sectionPrefixes(keys)
  for (const name of Object.keys(env).filter((n) => n.startsWith('M2MSEC_') && !names.includes(n)).sort()) {
    const hint = nearest(name, names)
    const known = hint === undefined ? '' : ` (did you mean ${hint}?)`
    if (prefixes.some((p) => name.startsWith(p))) problems.push({ source: { kind: 'env', name }, why: `not a configuration variable${known}` })
    else if (hint !== undefined) warnings.push(`${name} is not a configuration variable${known}; it is ignored`)
  }
  for (const p of validate(layer)) {
    const k = byKey.get(p.key)
    problems.push({ source: { kind: 'env', name: k?.env ?? p.key }, key: p.key, why: p.why })
  }
  const sources = new Map([...byKey].map(([name, k]): [string, ConfigSource] => [name, { kind: 'env', name: k.env }]))
  return { layer: problems.length > 0 ? {} : layer, sources, problems, warnings }
}

/** The `m2msec up` flags that set configuration keys (commander's option names); undefined = not given. */
export interface UpFlags {
  readonly config?: string
  readonly dataDir?: string
  readonly host?: string
  readonly roles?: string
  readonly port?: readonly string[]
  readonly mode?: string
  readonly logLevel?: string
  readonly gatewayUpstream?: string
  readonly gatewayUpstreamCseId?: string
  readonly gatewayUpstreamCseBaseName?: string
  readonly gatewayUpstreamTimeoutMs?: string
}

const FLAG_OF: Readonly<Record<string, keyof UpFlags>> = {
  dataDir: 'dataDir', host: 'host', roles: 'roles', targetKeyMode: 'mode', 'log.level': 'logLevel',
  'gateway.upstream.url': 'gatewayUpstream', 'gateway.upstream.cseId': 'gatewayUpstreamCseId',
  'gateway.upstream.cseBaseName': 'gatewayUpstreamCseBaseName', 'gateway.upstream.timeoutMs': 'gatewayUpstreamTimeoutMs',
}

/** The flags as a layer; `--port role=port` (repeatable) sets `ports.<role>`. */
export function flagLayer(flags: UpFlags, keys: readonly ConfigKey[], validate: LayerValidator): LayerResult {
  const layer: Record<string, unknown> = {}
  const sources = new Map<string, ConfigSource>()
  const problems: ConfigProblem[] = []
  const flagOf = new Map<string, string>()
  for (const k of keys) {
    const name = keyName(k.path)
    const option = FLAG_OF[name]
    const text = option === undefined ? undefined : flags[option]
    if (typeof text !== 'string') continue
    setAt(layer, k.path, k.fromEnv(text))
    flagOf.set(name, k.flag)
  }
  const ports = keys.filter((k) => k.path[0] === 'ports')
  for (const text of flags.port ?? []) {
    const m = /^([^=]*)=(.*)$/.exec(text)
    const k = ports.find((p) => p.path[1] === m?.[1])
    if (m === null || k === undefined) {
      problems.push({ source: { kind: 'flag', flag: `--port ${text}` }, why: `takes role=port with role one of ${ports.map((p) => p.path[1]).join(', ')}` })
    } else if (flagOf.has(keyName(k.path))) {
      problems.push({ source: { kind: 'flag', flag: `--port ${text}` }, why: `role ${m[1]} given twice` })
    } else {
      setAt(layer, k.path, k.fromEnv(m[2]!))
      flagOf.set(keyName(k.path), `--port ${text}`)
    }
  }
  for (const p of validate(layer)) problems.push({ source: { kind: 'flag', flag: flagOf.get(p.key) ?? p.key }, key: p.key, why: p.why })
  for (const [name, flag] of flagOf) sources.set(name, { kind: 'flag', flag })
  return { layer: problems.length > 0 ? {} : layer, sources, problems, warnings: [] }
}
