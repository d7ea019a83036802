/** Starts a real moto_server on a free loopback port for one test file, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolveMotoServer } from '../../scripts/moto-server.mjs'

export interface Moto {
  endpoint: string
  /** moto server's process, to see it gone after `stop`. */
  pid: number | undefined
  reset(): Promise<void>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
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

async function ready(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
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

export async function startMoto(env: Record<string, string> = {}): Promise<Moto> {
  // MOTO_SERVER, PATH, or the project's .venv/ (installed there on first use)
  const bin = resolveMotoServer()
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env }
    })
    let output = ''
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)))
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)))
    const endpoint = `http://127.0.0.1:${port}`
    try {
      await ready(endpoint, child, () => output)
    } catch (error) {
      child.kill('SIGKILL')
      // another process may have taken the port between probe and bind
      if (attempt < 3) continue
      throw error
    }
    return {
      endpoint,
      pid: child.pid,
      reset: async () => {
        await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      },
      stop: () =>
        new Promise<void>(resolve => {
          if (child.exitCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
          setTimeout(() => child.kill('SIGKILL'), 3000).unref()
        })
    }
  }
}
