#!/usr/bin/env node
/**
 * Finds moto server (the AWS emulator the demo, the tests, the benchmark and CI run against),
 * in this order: MOTO_SERVER if set; else `moto_server` on PATH; else the project's own virtual
 * environment (.venv/), made on first use with `python3 -m venv` and filled from the pinned
 * requirements-moto.txt; else an error that says what is missing and how to fix it.
 *
 * Silent when moto server is already there; progress lines (to `log`) while it installs.
 * Run as a script, it prints the path on stdout (progress on stderr) and exits 1 with the reason.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, realpathSync, rmSync, statSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project: the nearest folder above with a package.json (also when this file is copied elsewhere, as the
 * bench does).
 */
export const ROOT = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..')
})()

const WINDOWS = process.platform === 'win32'
/** Where a virtual environment keeps its programs. */
const VENV_BIN = WINDOWS ? 'Scripts' : 'bin'
export const REQUIREMENTS = 'requirements-moto.txt'

export class MotoServerError extends Error {
  constructor(message) {
    super(message)
    this.name = 'MotoServerError'
  }
}

const executable = file => {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * A command's path: as given when it names a path, else the first executable of that name on PATH (with
 * PATHEXT on Windows).
 */
function which(command, env) {
  const suffixes = WINDOWS ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : ['']
  if (/[\\/]/.test(command)) return suffixes.map(x => command + x).find(executable)
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) {
    const file = suffixes.map(x => join(dir, command + x)).find(executable)
    if (file) return file
  }
  return undefined
}

/** The last lines of a failed command's output, for an error message. */
const tail = res =>
  `${res.stderr ?? ''}${res.stdout ?? ''}${res.error ? String(res.error) : ''}`
    .trim()
    .split('\n')
    .slice(-4)
    .join('\n')

/**
 * @param {{ env?: NodeJS.ProcessEnv, root?: string, log?: (line: string) => void }} [options]
 * @returns {string} the moto_server executable to run
 */
export function resolveMotoServer({
  env = process.env,
  root = ROOT,
  log = line => process.stderr.write(`${line}\n`)
} = {}) {
  if (env.MOTO_SERVER) {
    const found = which(env.MOTO_SERVER, env)
    if (!found)
      throw new MotoServerError(
        `MOTO_SERVER is "${env.MOTO_SERVER}", which is not an executable: fix it or unset it`
      )
    return found
  }
  const onPath = which('moto_server', env)
  if (onPath) return onPath

  const venv = join(root, '.venv')
  const inVenv = which(join(venv, VENV_BIN, 'moto_server'), env)
  if (inVenv) return inVenv

  const requirements = join(root, REQUIREMENTS)
  const python = which('python3', env) ?? (WINDOWS ? which('python', env) : undefined)
  if (!python) {
    throw new MotoServerError(
      'moto server is not installed, and there is no python3 to install it with. ' +
        'Install Python 3 (with its venv module), then run again: ' +
        `the first run installs moto server into .venv/ from ${REQUIREMENTS}. ` +
        '(Or install it yourself, pip install -r requirements-moto.txt, or point MOTO_SERVER at it.)'
    )
  }
  log(`moto server is not on PATH: setting it up in ${venv} (first run only)`)
  const venvPython = join(venv, VENV_BIN, WINDOWS ? 'python.exe' : 'python')
  // a .venv/ an earlier attempt left without pip (no python3-venv then, say) is made again
  if (existsSync(venv) && spawnSync(venvPython, ['-m', 'pip', '--version'], { env }).status !== 0) {
    log(`  ${venv} is incomplete: making it again`)
    rmSync(venv, { recursive: true, force: true })
  }
  if (!existsSync(venvPython)) {
    log(`  ${python} -m venv ${venv}`)
    const made = spawnSync(python, ['-m', 'venv', venv], { env, encoding: 'utf8' })
    if (made.status !== 0) {
      // leave nothing half-made behind
      rmSync(venv, { recursive: true, force: true })
      throw new MotoServerError(
        `python3 could not make a virtual environment in ${venv}: ${tail(made)}\n` +
          'On Debian or Ubuntu, install the python3-venv package; ' +
          'or install moto server yourself (pip install -r requirements-moto.txt)'
      )
    }
  }
  log(`  installing ${REQUIREMENTS} into it (a minute or two)`)
  const pip = spawnSync(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', requirements],
    {
      env,
      encoding: 'utf8'
    }
  )
  const installed = which(join(venv, VENV_BIN, 'moto_server'), env)
  if (pip.status !== 0 || !installed) {
    throw new MotoServerError(
      `could not install moto server from ${REQUIREMENTS} into ${venv}; ` +
        'is there no network to the Python package index? ' +
        `pip said:\n${tail(pip)}\n` +
        'Install it another way (pip install -r requirements-moto.txt, or set MOTO_SERVER), then run again'
    )
  }
  log(`  moto server is ready: ${installed}`)
  return installed
}

/** Run as a script (also through a symlink): print the path, or the reason and exit 1. */
const invoked = (() => {
  try {
    return (
      Boolean(process.argv[1]) &&
      realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    )
  } catch {
    return false
  }
})()

if (invoked) {
  try {
    process.stdout.write(`${resolveMotoServer()}\n`)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
}
