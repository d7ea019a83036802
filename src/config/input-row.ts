/**
 * A row of the inputs table (input-table.ts): one input of the action, and the flag the command line
 * takes for it. action.yml, the README's inputs and the CLI's usage text are checked against, or made
 * from, these rows.
 */
import { InputError } from '../base/errors.js'
import { quoted } from '../report/safe-text.js'

/** Where an input is read: by a create, by a delete, or by both. */
export type InputModes = 'create' | 'delete' | 'both'

export interface InputRow {
  name: string
  /** A boolean takes `true`/`false` (as a flag: none, or `--no-NAME`); the rest take text. */
  type: 'string' | 'boolean' | 'number'
  /** The value an unset input has, as action.yml states it; absent where there is none (or it is worked out). */
  default?: string | number | boolean
  /** What it is for, in a few words: the command line's help for its flag ('' for none). */
  description: string
  /**
   * The command line's flag (--NAME): `false` for an input of the action alone. `arg` names its value in
   * the help (none for a boolean); `no`: the help shows `--no-NAME` beside it.
   */
  flag: false | { arg?: string; no?: boolean }
  modes: InputModes
}

/** The input's line(s) in the command line's help: the flag, its value, then what it is for. */
export function usageOf(row: InputRow): string[] {
  if (row.flag === false) return []
  const flag =
    `--${row.name}` + (row.flag.arg ? ` ${row.flag.arg}` : '') + (row.flag.no ? ` / --no-${row.name}` : '')
  const [first = '', ...more] = row.description === '' ? [] : row.description.split('\n')
  const column = ' '.repeat(28)
  const head = flag.length <= 24 ? [`  ${flag.padEnd(24)}  ${first}`.trimEnd()] : [`  ${flag}`]
  const rest = flag.length <= 24 ? more : first === '' ? [] : [first, ...more]
  return [...head, ...rest.map(line => column + line)]
}

/** 'true' or 'false' in any case; '' is the fallback (every boolean input reads this way). */
export function parseBoolean(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  const v = value.toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new InputError(input, `${quoted(value)} is not a boolean: use 'true' or 'false'`)
}
