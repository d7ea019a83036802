/**
 * The command line front end: the same engine as the action, for local use, other CI systems
 * and Makefiles. `cortex-rest-gateway create|delete --flag value …`; see USAGE.
 */
import { Inputs, Outputs, type InputName } from '../base/constants.js'
import { runEngine, type RunResult } from '../engine/engine.js'
import { errorMessage, InputError } from '../base/errors.js'
import { parseConfig } from '../config/inputs.js'
import { FLAGS_USAGE, INPUTS, type InputRow } from '../config/input-table.js'
import { OWNER_RE } from '../model/ownership.js'
import { safeLog, type Log } from '../report/log.js'
import { jsonLine, logLine } from '../report/safe-text.js'

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/** The inputs the command line takes: every row of the inputs table with a flag. */
const FLAGS = INPUTS.filter(r => r.flag !== false)
const isBoolean = (row: InputRow): boolean => row.type === 'boolean'

export const USAGE = `Usage: cortex-rest-gateway <create|delete> [flags]

Puts an AWS API Gateway REST API in front of a Cortex cluster's load balancer (create), or
removes it (delete). AWS credentials, region and endpoint come from the usual AWS variables
and files (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).

Flags (the action's inputs):
${FLAGS_USAGE}

Ownership:
  --repository OWNER/NAME   act as this repository's workflows do: change and delete only the
                            gateways it made (default: GITHUB_REPOSITORY, else 'local', the
                            scope of command line runs outside any repository)

Output:
  --json                    one JSON object on stdout instead of text (with api-key's value, which
                            the text hides)
  --verbose                 every AWS call on stderr
  -h, --help                this text

Exit codes: 0 done (also: nothing to do), 1 AWS or the action failed, 2 bad command line or input.
`

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  env: NodeJS.ProcessEnv
}

class UsageError extends Error {}

interface Parsed {
  mode: 'create' | 'delete'
  repository?: string
  values: Partial<Record<InputName, string>>
  json: boolean
  verbose: boolean
}

function parseArgs(args: string[]): Parsed | 'help' {
  const values: Partial<Record<InputName, string>> = {}
  let mode: string | undefined
  let json = false
  let verbose = false
  let repository: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '-h' || arg === '--help') return 'help'
    if (arg === '--json') json = true
    else if (arg === '--repository' || arg.startsWith('--repository=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]
      if (value === undefined || !OWNER_RE.test(value))
        throw new UsageError('flag --repository needs OWNER/NAME (or local)')
      repository = value
    } else if (arg === '--verbose') verbose = true
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      let name = arg.slice(2, eq < 0 ? undefined : eq)
      let value = eq < 0 ? undefined : arg.slice(eq + 1)
      if (
        name.startsWith('no-') &&
        value === undefined &&
        FLAGS.some(r => isBoolean(r) && r.name === name.slice(3))
      ) {
        name = name.slice(3)
        value = 'false'
      }
      const row = FLAGS.find(f => f.name === name)
      if (!row) throw new UsageError(`unknown flag --${name} (see --help)`)
      const input = row.name
      if (value === undefined) {
        if (isBoolean(row)) value = 'true'
        else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i]
        else throw new UsageError(`flag --${name} needs a value`)
      }
      if (input === Inputs.Tags) values[input] = values[input] ? `${values[input]}\n${value}` : value
      else if (input in values) throw new UsageError(`flag --${name} is given twice`)
      else values[input] = value
    } else if (mode === undefined) mode = arg
    else throw new UsageError(`unexpected argument "${arg}" (flags start with --)`)
  }
  if (mode !== 'create' && mode !== 'delete') {
    throw new UsageError(
      mode === undefined
        ? 'say what to do: create or delete'
        : `unknown command "${mode}": use create or delete`
    )
  }
  return { mode, repository, values, json, verbose }
}

function stderrLog(io: CliIo, verbose: boolean): Log {
  return safeLog({
    info: m => io.err(m),
    debug: m => (verbose ? io.err(`  ${m}`) : undefined),
    warning: m => io.err(`warning: ${m}`),
    notice: m => io.err(`notice: ${m}`),
    group: async (name, fn) => {
      io.err(`== ${name}`)
      return fn()
    }
  })
}

function human(result: RunResult): string {
  const lines = [`${result.dryRun ? 'dry run: ' : ''}${result.outcome}`]
  for (const [k, v] of Object.entries(result.outputs)) {
    // a secret is not printed where a CI log may keep it: --json hands it to a program
    const shown = k === Outputs.ApiKey ? '*** (the value is in the --json output)' : v
    if (v) lines.push(logLine(`${k.padEnd(18)} ${shown}`))
  }
  if (result.dryRun && result.steps.length > 0)
    lines.push('plan:', ...result.steps.map(s => logLine(`  - ${s}`)))
  return lines.join('\n')
}

/** Runs the CLI; returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let parsed: Parsed | 'help'
  try {
    parsed = parseArgs(args)
  } catch (error) {
    io.err(logLine(`cortex-rest-gateway: ${errorMessage(error)}`))
    return EXIT.usage
  }
  if (parsed === 'help') {
    io.out(USAGE)
    return EXIT.ok
  }
  const { mode, repository, values, json, verbose } = parsed
  const fail = (code: number, message: string, flag?: string): number => {
    if (json) io.out(jsonLine({ error: message, ...(flag ? { flag: `--${flag}` } : {}) }))
    io.err(logLine(`cortex-rest-gateway: ${message}`))
    return code
  }
  try {
    // the repository whose gateways this run may change, as in a workflow of that repository
    const env = repository ? { ...io.env, GITHUB_REPOSITORY: repository } : io.env
    const config = parseConfig(name => (name === Inputs.Mode ? mode : (values[name] ?? '')), env)
    const result = await runEngine({ config, log: stderrLog(io, verbose) })
    if (json) {
      io.out(
        jsonLine({
          mode: result.mode,
          dryRun: result.dryRun,
          outcome: result.outcome,
          outputs: { ...result.outputs, [Outputs.Result]: result.outcome },
          plan: result.steps,
          calls: { total: result.calls.length, writes: result.calls.filter(c => c.write).length }
        })
      )
    } else {
      io.out(human(result))
    }
    return EXIT.ok
  } catch (error) {
    if (error instanceof InputError) {
      // the action's wording names the input; here it is a flag
      return fail(
        EXIT.usage,
        error.message.replace(`Input '${error.input}':`, `--${error.input}:`),
        error.input
      )
    }
    return fail(EXIT.failed, errorMessage(error))
  }
}
