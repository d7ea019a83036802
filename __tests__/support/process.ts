/**
 * Runs a program to its end, asynchronously (the proxy it may talk to lives in this process), and keeps what
 * it printed.
 */
import { spawn } from 'node:child_process'

export interface Finished {
  code: number
  stdout: string
  stderr: string
}

export async function runProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string }
): Promise<Finished> {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)))
  return { code, stdout, stderr }
}
