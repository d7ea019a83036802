/**
 * The command line front end: the same engine as the action, for local use, other CI systems
 * and Makefiles. `cortex-rest-gateway create|delete --flag value …`; see USAGE.
 */
import { Inputs, Outputs, type InputName } from '../base/constants.js'
import { runEngine } from '../engine/engine.js'
import { errorMessage, InputError } from '../base/errors.js'
import { parseConfig, type Config } from '../config/inputs.js'
import { FLAGS_USAGE, INPUTS, type InputRow } from '../config/input-table.js'
import { OWNER_RE } from '../model/ownership.js'
import { safeLog, type Log } from '../report/log.js'
import type { CallRecord } from '../report/run.js'
import { jsonLine, logLine } from '../report/safe-text.js'
import { asFlags, humanResult, whatNext } from './cli-text.js'

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
  --version                 the version of cortex-rest-gateway

Exit codes: 0 done (also: nothing to do), 1 AWS or the action failed, 2 bad command line or input.
`

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  env: NodeJS.ProcessEnv
  /** The package's version, for --version (read only when asked). */
  version?: () => string
}

class UsageError extends Error {}

interface Parsed {
  mode: 'create' | 'delete'
  repository?: string
  values: Partial<Record<InputName, string>>
  json: boolean
  verbose: boolean
}

function parseArgs(args: string[]): Parsed | 'help' | 'version' {
  const values: Partial<Record<InputName, string>> = {}
  let mode: string | undefined
  let json = false
  let verbose = false
  let repository: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '-h' || arg === '--help') return 'help'
    if (arg === '--version') return 'version'
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
        ? 'say what to do: create or delete (see --help)'
        : `unknown command "${mode}": use create or delete (see --help)`
    )
  }
  return { mode, repository, values, json, verbose }
}

function stderrLog(io: CliIo, verbose: boolean): Log {
  return safeLog({
    info: m => io.err(m),
    debug: m => (verbose ? io.err(`  ${m}`) : undefined),
    // the action's advice names inputs: here they are flags
    warning: m => io.err(`warning: ${asFlags(m)}`),
    notice: m => io.err(`notice: ${asFlags(m)}`),
    group: async (name, fn) => {
      io.err(`== ${name}`)
      return fn()
    }
  })
}

/** The command that removes what a create made, for a create that stopped part-way. */
function deleteCommand(config: Config, repository: string | undefined): string {
  const quote = (v: string): string => (/^[\w.,:/@=+-]+$/.test(v) ? v : `'${v.replaceAll("'", "'\\''")}'`)
  return [
    'cortex-rest-gateway delete',
    `--api-name ${quote(config.apiName)}`,
    `--region ${quote(config.region)}`,
    ...(repository ? [`--repository ${quote(repository)}`] : [])
  ].join(' ')
}

/** Runs the CLI; returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let parsed: Parsed | 'help' | 'version'
  // a bare command: what it takes, as a usage error
  if (args.length === 0) {
    io.err(USAGE)
    return EXIT.usage
  }
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
  if (parsed === 'version') {
    io.out(logLine(`cortex-rest-gateway ${io.version?.() ?? 'unknown'}`))
    return EXIT.ok
  }
  const { mode, repository, values, json, verbose } = parsed
  const fail = (code: number, message: string, flag?: string, next?: string): number => {
    const said = asFlags(message)
    if (json)
      io.out(jsonLine({ error: said, ...(flag ? { flag: `--${flag}` } : {}), ...(next ? { next } : {}) }))
    io.err(logLine(`cortex-rest-gateway: ${said}`))
    if (next) io.err(logLine(next))
    return code
  }
  const calls: CallRecord[] = []
  let config: Config | undefined
  try {
    // the repository whose gateways this run may change, as in a workflow of that repository
    const env = repository ? { ...io.env, GITHUB_REPOSITORY: repository } : io.env
    config = parseConfig(name => (name === Inputs.Mode ? mode : (values[name] ?? '')), env)
    const result = await runEngine({ config, log: stderrLog(io, verbose), context: { calls } })
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
      io.out(humanResult(result))
    }
    return EXIT.ok
  } catch (error) {
    // the action's wording names the input; here it is a flag
    if (error instanceof InputError) return fail(EXIT.usage, error.message, error.input)
    const again = config ? deleteCommand(config, repository) : 'cortex-rest-gateway delete --api-name NAME'
    return fail(EXIT.failed, errorMessage(error), undefined, whatNext(error, mode, calls, again))
  }
}
