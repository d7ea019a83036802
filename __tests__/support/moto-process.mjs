/**
 * A moto server process on a free loopback port, that never keeps a jest worker alive and never outlives it:
 * its output goes to a file (no pipe to read), the process is unref'd, this process kills it on exit, and a
 * watchdog shell takes it down within a second if this process dies without exiting (SIGKILL).
 *
 * Plain JavaScript: the test environment (environment.js, outside the test's module registry) starts the
 * moto server a jest worker keeps for all its test files with it; support/moto.ts starts one for a test
 * that needs one of its own.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

// $1 moto server, $2 port, $3 the pid it may not outlive; TERM from us takes moto down with it
const WATCHDOG = `
"$1" -H 127.0.0.1 -p "$2" & m=$!
trap 'kill $m 2>/dev/null; wait $m; exit 0' TERM INT HUP
while kill -0 "$3" 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1 & wait $!; done
kill $m 2>/dev/null; wait $m
`

const running = new Set()
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM')
})

async function ready(endpoint, child, log) {
  const until = Date.now() + 30_000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${log()}`)
    try {
      // GET /moto-api/reset answers 400 once the server is up
      await fetch(`${endpoint}/moto-api/reset`)
      return
    } catch {
      await new Promise(r => setTimeout(r, 100))
    }
  }
  throw new Error(`moto_server did not start: ${log()}`)
}

/**
 * @param {string} bin the moto_server executable (scripts/moto-server.mjs finds it)
 * @param {Record<string, string>} [env] added to this process's environment
 * @returns {Promise<{ endpoint: string, pid: number | undefined, stop(): Promise<void> }>}
 */
export async function spawnMoto(bin, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'crg-moto-'))
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const logFile = join(dir, `moto-${port}.log`)
    const fd = openSync(logFile, 'w')
    const options = { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } }
    const child =
      process.platform === 'win32'
        ? spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], options)
        : spawn('/bin/sh', ['-c', WATCHDOG, 'moto-watchdog', bin, String(port), String(process.pid)], options)
    closeSync(fd)
    child.unref()
    running.add(child)
    const exited = new Promise(resolve => child.once('exit', () => resolve()))
    void exited.then(() => running.delete(child))
    const log = () => readFileSync(logFile, 'utf8').slice(-4000)
    const endpoint = `http://127.0.0.1:${port}`
    try {
      await ready(endpoint, child, log)
    } catch (error) {
      // (TERM: the watchdog takes moto down with it)
      child.kill('SIGTERM')
      // another process may have taken the port between probe and bind
      if (attempt < 3) continue
      throw error
    }
    return {
      endpoint,
      // the watchdog's: it waits for moto before it exits
      pid: child.pid,
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        // held again while it goes: a caller awaiting this with nothing else to do must not see its
        // event loop run dry first (the bench's last stop did: node exits 13, an unsettled await)
        child.ref()
        child.kill('SIGTERM')
        const late = setTimeout(() => child.kill('SIGKILL'), 3000)
        late.unref()
        await exited
        clearTimeout(late)
      }
    }
  }
}
