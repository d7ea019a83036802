/**
 * The command line as npm users get it: `npm pack`, the tarball installed in an empty folder
 * (no dependencies to fetch: the bundle holds them), then `cortex-rest-gateway --help` and a
 * `--dry-run` against moto from there.
 */
import { beforeAll, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createLoadBalancer, credentials, REGION, type SeededLoadBalancer } from './support/aws.js'
import { motoBehindProxy } from './support/harness.js'
import { runProcess, type Finished } from './support/process.js'
import { node24, ROOT } from './support/run-action.js'

const aws = motoBehindProxy()
let installed: string
let lb: SeededLoadBalancer

beforeAll(async () => {
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'from-npm', scheme: 'internet-facing' })
  const work = mkdtempSync(join(tmpdir(), 'crg-pack-'))
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  expect(packed.status).toBe(0)
  const tarball = join(
    work,
    readdirSync(work).find(f => f.endsWith('.tgz'))!
  )
  const app = join(work, 'app')
  spawnSync('mkdir', [app])
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n')
  const add = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    encoding: 'utf8'
  })
  expect(add.stderr + add.stdout).not.toMatch(/ERR!/)
  expect(add.status).toBe(0)
  installed = join(app, 'node_modules', '.bin', 'cortex-rest-gateway')
}, 120_000)

/** Runs the installed CLI on the Node the action declares (node24 first on PATH, as `npx` would find it). */
function run(...args: string[]): Promise<Finished> {
  return runProcess(installed, args, {
    env: {
      PATH: `${dirname(node24())}:${process.env.PATH ?? ''}`,
      AWS_ENDPOINT_URL: aws.proxy.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: REGION
    }
  })
}

it('installs from the tarball alone, and prints its help', async () => {
  const res = await run('--help')
  expect(res.code).toBe(0)
  expect(res.stdout).toContain('Usage: cortex-rest-gateway <create|delete> [flags]')
})

it('plans a gateway against moto with --dry-run, writing nothing', async () => {
  aws.proxy.clear()
  const res = await run('create', '--load-balancer', lb.dnsName, '--dry-run', '--json')
  expect(res.stderr).not.toMatch(/Error:/)
  expect(res.code).toBe(0)
  expect(JSON.parse(res.stdout)).toMatchObject({ outcome: 'would-create', dryRun: true })
  expect(aws.proxy.writes()).toEqual([])
})
