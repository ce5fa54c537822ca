/**
 * Where a configuration value came from, and the error for a configuration that cannot run. A
 * refused configuration is a usage mistake: main.ts prints every problem and exits 2 (issue 8:
 * "validation that names the bad key and why"). A problem names the file and key, the
 * environment variable or the flag, and what a valid value is — never the value itself, so a
 * secret pasted by mistake does not reach the terminal.
 */
import { UsageError } from '../options.js'

export type ConfigSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'flag'; readonly flag: string }

export interface ConfigProblem {
  readonly source: ConfigSource
  /** Dotted key path; absent when the problem is the whole source (an unreadable file). */
  readonly key?: string
  readonly why: string
}

/** `file m2msec.yaml`, `env M2MSEC_HOST`, `flag --host`, `default`. */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'default': return 'default'
    case 'file': return `file ${source.file}`
    case 'env': return `env ${source.name}`
    case 'flag': return `flag ${source.flag}`
  }
}

/** `m2msec.yaml: ports.mef: why` for a file; `M2MSEC_PORTS_MEF: why` and `--host: why` name the key already. */
export function formatProblem(problem: ConfigProblem): string {
  const { source, key, why } = problem
  switch (source.kind) {
    case 'file': return key === undefined ? `${source.file}: ${why}` : `${source.file}: ${key}: ${why}`
    case 'env': return `${source.name}: ${why}`
    case 'flag': return `${source.flag}: ${why}`
    case 'default': return `${key ?? 'default'}: ${why}`
  }
}

export class ConfigError extends UsageError {
  readonly problems: readonly ConfigProblem[]

  constructor(problems: readonly ConfigProblem[]) {
    // One problem: one line. Several: a count, then one indented line each (main.ts prefixes `m2msec: `).
    super(problems.length === 1 ? formatProblem(problems[0]!) : [`the configuration has ${problems.length} problems:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'))
    this.problems = problems
  }
}
