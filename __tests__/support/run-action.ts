/**
 * Runs the bundled action the way the runner does: `node dist/index.js` under Node 24, inputs as
 * INPUT_<NAME> variables (upper-cased, hyphens kept) with action.yml's defaults applied, and the
 * GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { credentials, REGION } from './aws.js'
import { runProcess } from './process.js'

/** The repository: the folder of the nearest package.json (also when this file runs compiled elsewhere). */
export const ROOT = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  throw new Error('no package.json above the test support files')
})()

export interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean; description?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post?: string }
}

export function actionYml(): ActionYml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml
}

/** The Node the action declares (node24), from the `node` npm package (the machines have Node 20). */
export function node24(): string {
  const bin = join(ROOT, 'node_modules', 'node', 'bin', 'node')
  if (!existsSync(bin))
    throw new Error(`${bin} is missing: npm ci installs it (package 'node', install script allowed)`)
  return bin
}

/** Parses the `name<<DELIM\nvalue\nDELIM` records @actions/core writes. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=')
      out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1)
    }
  }
  return out
}

export interface ActionRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** The summary as a reader sees it: character references decoded. */
  summaryText: string
  /** The `::error::` lines, without the command prefix. */
  errors: string[]
}

export async function runAction(
  inputs: Record<string, string>,
  opts: { endpoint: string; env?: Record<string, string>; script?: string; onSpawn?: () => void }
): Promise<ActionRun> {
  const yml = actionYml()
  const dir = mkdtempSync(join(tmpdir(), 'crg-run-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    AWS_ENDPOINT_URL: opts.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: REGION,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/cortex-app',
    GITHUB_WORKFLOW: 'deploy (preview)',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...files,
    ...opts.env
  }
  for (const [name, spec] of Object.entries(yml.inputs)) {
    const value = inputs[name] ?? spec.default ?? ''
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in yml.inputs))
      throw new Error(`test passes input '${name}', which action.yml does not declare`)
  }
  const script = join(ROOT, opts.script ?? yml.runs.main)
  opts.onSpawn?.()
  const { code, stdout, stderr } = await runProcess(node24(), [script], { env, cwd: dir })
  const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
  return {
    code,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary,
    summaryText: decodeReferences(summary),
    errors: stdout
      .split('\n')
      .filter(l => l.startsWith('::error'))
      .map(l => l.replace(/^::error[^:]*::/, ''))
  }
}

/** Numeric character references (what the summary writes values as) back to characters. */
export function decodeReferences(html: string): string {
  return html.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
}
