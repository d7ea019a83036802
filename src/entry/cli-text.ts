/**
 * What the command line says: the action's words for an input said as its flag, a result as text, and
 * what to do after a failure. Every line goes through logLine, as every line the action writes does.
 */
import { Outputs } from '../base/constants.js'
import { AwsCallError } from '../base/errors.js'
import { INPUTS } from '../config/input-table.js'
import { isConnectionCode, isCredentialsCode } from '../aws/retry.js'
import type { CallRecord, RunResult } from '../report/run.js'
import { logLine } from '../report/safe-text.js'
import { counted } from '../report/words.js'

/** The inputs that are flags, longest first (so `api-key-throttle` is not read as `api-key`). */
const FLAG_NAMES = INPUTS.filter(r => r.flag !== false)
  .map(r => r.name)
  .sort((a, b) => b.length - a.length)
const NAME = `(${FLAG_NAMES.map(n => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`

/**
 * The action's words for an input, as the command line's flag: `Input 'region': …` → `--region: …`,
 * `the 'timeout' input` → `--timeout`, `'adopt: true'` → `--adopt`, `'endpoint-type: PRIVATE'` →
 * `--endpoint-type PRIVATE`, `'stage'` → `--stage`. Only the names of flags are read so.
 */
export function asFlags(text: string): string {
  return text
    .replace(new RegExp(`^Input '${NAME}':`), '--$1:')
    .replace(new RegExp(`the '${NAME}' input`, 'g'), '--$1')
    .replace(new RegExp(`input '${NAME}'`, 'g'), '--$1')
    .replace(new RegExp(`'${NAME}: ([^'\\s]+)'`, 'g'), (_m, name: string, value: string) =>
      value === 'true' ? `--${name}` : `--${name} ${value}`
    )
    .replace(new RegExp(`'${NAME}'`, 'g'), '--$1')
}

const KEY_WIDTH = 18

/** A result as text: the outcome, then each output that has a value, a value of several lines one a line. */
export function humanResult(result: RunResult): string {
  const lines = [`${result.dryRun ? 'dry run: ' : ''}${result.outcome}`]
  for (const [k, v] of Object.entries(result.outputs)) {
    if (!v) continue
    // a secret is not printed where a CI log may keep it: --json hands it to a program
    const shown = k === Outputs.ApiKey ? '*** (the value is in the --json output)' : v
    const [first, ...more] = shown.split('\n')
    lines.push(logLine(`${k.padEnd(KEY_WIDTH)} ${first}`))
    for (const line of more) lines.push(logLine(`${' '.repeat(KEY_WIDTH + 1)}${line}`))
  }
  if (result.dryRun && result.steps.length > 0)
    lines.push(
      `plan (${counted(result.steps.length, 'step')}):`,
      ...result.steps.map(s => logLine(`  - ${s}`))
    )
  return lines.join('\n')
}

/**
 * What to do after a run failed: for a failure to reach AWS, what to check; for a run that had changed
 * something, re-run to finish or delete to clean up. Undefined when there is nothing to add.
 */
export function whatNext(
  error: unknown,
  mode: 'create' | 'delete',
  calls: readonly CallRecord[],
  again: string
): string | undefined {
  const code = error instanceof AwsCallError ? error.code : ''
  const writes = calls.filter(c => c.write && c.ok).length
  const before = writes > 0 ? `The run stopped after ${counted(writes, 'change')} to AWS. ` : ''
  if (isConnectionCode(code))
    return (
      `${before}AWS could not be reached: ` +
      'check AWS_ENDPOINT_URL (unset for AWS itself), AWS_REGION and the credentials'
    )
  if (isCredentialsCode(code))
    return (
      `${before}AWS refused the credentials: ` +
      'check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
    )
  if (writes === 0) return undefined
  return mode === 'create'
    ? `${before}Run the same command again to finish (it carries on from what exists), ` +
        `or remove what was made: ${again}`
    : `${before}Run the same command again to finish the delete`
}
