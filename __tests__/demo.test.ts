/** The README's demo command works as written (it starts a moto server of its own). */
import { expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from './support/run-action.js'

it('npm run demo creates, re-runs and deletes both kinds of gateway', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const code = await new Promise<number>(res => child.on('close', c => res(c ?? -1)))
  expect(out).toContain('Demo finished')
  expect(code).toBe(0)
  expect(out.match(/invoke-url: https:\/\/\w+\.execute-api\.us-west-2\.amazonaws\.com\/dev/g)).toHaveLength(2)
  expect(out.match(/Done: deleted/g)).toHaveLength(2)
})
