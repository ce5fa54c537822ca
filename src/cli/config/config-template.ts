/**
 * The file `m2msec config init` writes (issue 8: "one YAML file with documented defaults"): every
 * key at its default, each preceded by a comment saying what it does, its default, its
 * environment variable and its flag. Built with yaml's Document API from config-keys.ts, so the
 * template parses back to exactly the defaults (a unit test checks it).
 */
import { Document, isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml'
import { configKeys, keyName, SECTIONS, type ConfigKey, type RoleCatalogue } from './config-keys.js'
import { CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE } from './load-config.js'

const WIDTH = 98

function wrap(text: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return line === '' ? lines : [...lines, line]
}

/** yaml comments: one leading space per line so `#` is followed by a space. */
function comment(lines: readonly string[]): string {
  return lines.map((l) => ` ${l}`).join('\n')
}

function keyComment(k: ConfigKey): string {
  return comment([...wrap(k.summary), `Default: ${k.defaultText.replace(/`/g, '')}. Environment: ${k.env}. Flag: ${k.flag}.`])
}

/** The key node of `path`: where yaml keeps the comment and blank line before an entry. */
function keyNodeAt(document: Document, path: readonly string[]): Scalar {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true)
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1)) : undefined
  if (!isPair(pair) || !isScalar(pair.key)) throw new Error(`template has no key ${keyName(path)}`)
  return pair.key
}

function defaults(keys: readonly ConfigKey[]): Record<string, unknown> {
  const value: Record<string, unknown> = {}
  for (const k of keys) {
    let node = value
    for (const part of k.path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
    if (k.defaultValue !== undefined) node[k.path.at(-1)!] = k.defaultValue
  }
  return value
}

/** Every mapping that holds keys (`ports`, `gateway`, `gateway.upstream`), parents first, in key order. */
function branches(keys: readonly ConfigKey[]): string[][] {
  const seen = new Map<string, string[]>()
  for (const k of keys) {
    for (let depth = 1; depth < k.path.length; depth++) {
      const branch = k.path.slice(0, depth)
      if (!seen.has(keyName(branch))) seen.set(keyName(branch), branch)
    }
  }
  return [...seen.values()]
}

/** `a.b` is the parent mapping of `a.b.c`. */
function isChildOf(k: ConfigKey, branch: readonly string[]): boolean {
  return k.path.length === branch.length + 1 && keyName(k.path.slice(0, -1)) === keyName(branch)
}

/**
 * Keys without a default are not in the document (absence means something): each is shown as a
 * commented example line with its example value and variable, placed so that uncommenting it
 * works. Inside a mapping that has other keys they come before the first of those; an otherwise
 * empty mapping (`ports: {}`) gets them under its own name in its comment.
 */
function exampleLines(members: readonly ConfigKey[], indent: string): string[] {
  const entries = members.map((m) => `${indent}${m.path.at(-1)}: ${m.example ?? ''}`)
  const width = Math.max(...entries.map((e) => e.length)) + 2
  return entries.map((e, i) => `${e.padEnd(width)}# ${members[i]!.env}`)
}

function commentBranch(document: Document, branch: readonly string[], keys: readonly ConfigKey[]): void {
  const node = keyNodeAt(document, branch)
  const examples = keys.filter((k) => k.defaultValue === undefined && isChildOf(k, branch))
  const firstPresent = keys.find((k) => k.defaultValue !== undefined && isChildOf(k, branch))
  const own = [...wrap(SECTIONS[keyName(branch)] ?? ''), ...(examples.length > 0 && firstPresent === undefined ? [`${branch.at(-1)}:`, ...exampleLines(examples, '  ')] : [])]
  if (own.length > 0) node.commentBefore = comment(own)
  if (branch.length === 1) node.spaceBefore = true
  if (examples.length > 0 && firstPresent !== undefined) {
    const child = keyNodeAt(document, firstPresent.path)
    child.commentBefore = comment([...exampleLines(examples, ''), ...(child.commentBefore ?? '').split('\n').map((l) => l.slice(1))])
  }
}

/** The commented YAML text of the default configuration. */
export function configTemplate(roles: RoleCatalogue): string {
  const keys = configKeys(roles)
  const document = new Document(defaults(keys))
  document.commentBefore = comment([
    'm2msec configuration: what `m2msec up` runs. Written by `m2msec config init`; every key shows its default.',
    `Read from --config <file>, else $${CONFIG_FILE_ENV}, else ./${DEFAULT_CONFIG_FILE} when it exists.`,
    'Precedence: defaults < this file < environment (M2MSEC_<KEY_PATH>) < command-line flags.',
    'Unknown keys are refused. `m2msec config check` validates and shows where each value comes from.',
    'No secrets belong here: the KEK stays in <dataDir>/kek or M2MSEC_KEK.',
  ])
  const roleList = document.getIn(['roles'], true)
  if (isSeq(roleList)) roleList.flow = true
  for (const k of keys) {
    if (k.defaultValue === undefined) continue
    const node = keyNodeAt(document, k.path)
    node.commentBefore = keyComment(k)
    // The document comment already ends with a blank line before the first key.
    if (k.path.length === 1 && k !== keys[0]) node.spaceBefore = true
  }
  // After the keys' own comments: example lines may go before a key's comment.
  for (const branch of branches(keys)) commentBranch(document, branch, keys)
  return document.toString({ lineWidth: 0 })
}
