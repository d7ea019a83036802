/**
 * `npm run local-aws` (scripts/local-aws.mjs) as a user runs it: a subprocess that starts moto server behind
 * the test proxy and prints the environment to export; the command line (bin/, the bundle) then behaves as
 * against AWS. And an endpoint that is not AWS at all, through the command line: the error says so.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { runProcess, type Finished } from './support/process.js'
import { node24, ROOT } from './support/run-action.js'

const children: ChildProcess[] = []
const motoPids: number[] = []
afterAll(() => {
  // a failed test leaves nothing running
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const pid of motoPids) if (alive(pid)) process.kill(pid, 'SIGKILL')
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The command line, run as users run it, with only the environment given (and PATH). */
function cli(env: Record<string, string>, ...args: string[]): Promise<Finished> {
  return runProcess(node24(), [join(ROOT, 'bin', 'cortex-rest-gateway.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env }
  })
}

interface Outcome {
  outcome: string
  calls: { writes: number }
  outputs: Record<string, string>
}

describe('npm run local-aws', () => {
  it('runs scripts/local-aws.mjs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts['local-aws']).toBe('node scripts/local-aws.mjs')
  })

  it('prints what to export; the CLI then creates, and a re-run writes nothing; Ctrl-C stops moto', async () => {
    // as `npm run local-aws -- --port 0` runs it (npm puts the project's Node 24 first on PATH)
    const child = spawn(node24(), [join(ROOT, 'scripts', 'local-aws.mjs'), '--port', '0'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME, MOTO_SERVER: process.env.MOTO_SERVER },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        if (/^# Ready\b/m.test(stdout)) resolve()
      })
      void exited.then(code => reject(new Error(`local-aws exited (${code}) before it was ready: ${stderr}`)))
    })

    // (first: a test that fails from here on leaves no moto server behind)
    const moto = /^# moto server: (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)/m.exec(stdout)
    expect(moto).not.toBeNull()
    const [, motoEndpoint, motoPid] = moto!
    motoPids.push(Number(motoPid))
    expect(alive(Number(motoPid))).toBe(true)

    // every line a shell evals: an export, or a comment
    const lines = stdout.trimEnd().split('\n')
    expect(lines.filter(l => !/^(export [A-Z_]+=\S+|#.*)$/.test(l))).toEqual([])
    const env = Object.fromEntries(
      lines.flatMap(l => {
        const m = /^export ([A-Z_]+)=(\S+)$/.exec(l)
        return m ? [[m[1], m[2]]] : []
      })
    )
    expect(env).toEqual({
      AWS_ENDPOINT_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      CORTEX_PUBLIC_NLB: expect.stringMatching(/^cortex-public-\S+\.amazonaws\.com$/),
      CORTEX_INTERNAL_NLB: expect.stringMatching(/^cortex-internal-\S+\.amazonaws\.com$/)
    })
    const aws = { ...env }
    delete aws.CORTEX_PUBLIC_NLB
    delete aws.CORTEX_INTERNAL_NLB
    const apigw = new APIGatewayClient({
      endpoint: env.AWS_ENDPOINT_URL,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
    })
    for (const [lb, name] of [
      [env.CORTEX_PUBLIC_NLB, 'local-public'],
      [env.CORTEX_INTERNAL_NLB, 'local-internal']
    ]) {
      const args = [
        'create',
        '--load-balancer',
        lb,
        '--api-name',
        name,
        '--binary-media-types',
        'image/png',
        '--json'
      ]
      const first = await cli(aws, ...args)
      expect(first.code).toBe(0)
      expect(JSON.parse(first.stdout)).toMatchObject({ outcome: 'created' })
      // as AWS: the second run finds everything as the first left it (moto alone drops the binary
      // media types and an integration's VPC link, and the re-run would write)
      const again = await cli(aws, ...args)
      expect(again.code).toBe(0)
      expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'unchanged', calls: { writes: 0 } })
      const api = (await apigw.send(new GetRestApisCommand({}))).items?.find(a => a.name === name)
      expect(api?.binaryMediaTypes).toEqual(['image/png'])
      if (name === 'local-internal') {
        expect((JSON.parse(first.stdout) as Outcome).outputs['vpc-link-id']).toMatch(/\w/)
      }
    }
    // tags set after creation are kept, as AWS keeps them (moto keeps only those given at creation)
    const tagged = await cli(
      aws,
      'create',
      '--load-balancer',
      env.CORTEX_PUBLIC_NLB,
      '--api-name',
      'local-public'
    )
    expect(tagged.code).toBe(0)
    const retag = [
      'create',
      '--load-balancer',
      env.CORTEX_PUBLIC_NLB,
      '--api-name',
      'local-public',
      '--tags',
      'team=ml'
    ]
    expect(JSON.parse((await cli(aws, ...retag, '--json')).stdout)).toMatchObject({ outcome: 'updated' })
    const api = (await apigw.send(new GetRestApisCommand({}))).items?.find(a => a.name === 'local-public')
    expect(api?.tags).toMatchObject({ team: 'ml' })
    expect(JSON.parse((await cli(aws, ...retag, '--json')).stdout)).toMatchObject({
      outcome: 'unchanged',
      calls: { writes: 0 }
    })

    // Ctrl-C: the proxy and moto server go with it
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(alive(Number(motoPid))).toBe(false)
    await expect(fetch(`${motoEndpoint}/moto-api/reset`)).rejects.toThrow()
    await expect(fetch(`${env.AWS_ENDPOINT_URL}/restapis`)).rejects.toThrow()
  }, 180_000)

  it('refuses a port that is no port, or is taken, before it starts moto server', async () => {
    const localAws = (port: string) =>
      runProcess(node24(), [join(ROOT, 'scripts', 'local-aws.mjs'), '--port', port], {
        env: { PATH: process.env.PATH ?? '', MOTO_SERVER: '/nonexistent/moto_server' }
      })
    const res = await localAws('http')
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('local-aws: --port: "http" is not a port')
    // what a user typed never starts a line (a workflow command, or a line that reads as the script's own)
    for (const args of [
      ['--port', '1\n::warning::typed'],
      ['--region', 'us-east-1\r\n::warning::typed'],
      ['--x\n::warning::typed']
    ]) {
      const typed = await runProcess(node24(), [join(ROOT, 'scripts', 'local-aws.mjs'), ...args], {
        env: { PATH: process.env.PATH ?? '', MOTO_SERVER: '/nonexistent/moto_server' }
      })
      expect(typed.code).toBe(2)
      expect(typed.stderr).toContain('\\n::warning::typed')
      expect(typed.stderr.split(/\r?\n|\r/).filter(l => l.startsWith('::'))).toEqual([])
    }
    const server = createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = String((server.address() as AddressInfo).port)
    try {
      const taken = await localAws(port)
      expect(taken.code).toBe(1)
      expect(taken.stderr).toContain(`local-aws: port ${port} on 127.0.0.1 is taken: pass another`)
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  })
})

describe('an endpoint that is not AWS, through the command line', () => {
  it('says the endpoint answered HTML, names no secret of its URL, and gives up soon', async () => {
    const seen = new Map<string, number>()
    let status = 404
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (d: Buffer) => (body += d.toString()))
      req.on('end', () => {
        // one call: its method, path and (for the query protocol of load balancers) its body
        const key = `${req.method} ${req.url} ${body}`
        seen.set(key, (seen.get(key) ?? 0) + 1)
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
        res.end('<!doctype html>\n<html lang=en>\n<title>Not Found</title>\n<h1>Not Found</h1>\n')
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const env = {
      AWS_ENDPOINT_URL: `${origin.replace('//', '//user:s3cret@')}/?token=t0ken`,
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing'
    }
    const said = `the endpoint at ${origin} answered HTML, not AWS: check AWS_ENDPOINT_URL`
    const lb = 'cortex-1.elb.us-west-2.amazonaws.com'
    try {
      const res = await cli(env, 'create', '--load-balancer', lb, '--json')
      expect(res.code).toBe(1)
      expect((JSON.parse(res.stdout) as { error: string }).error).toContain(said)
      const lines = res.stderr.trimEnd().split('\n')
      // the reason on a line of its own, which the tool's name starts; then what to do, on the last line
      expect(lines.at(-2)).toMatch(/^cortex-rest-gateway: \w+ failed: NotAwsAnswer \(HTTP 404\): /)
      expect(lines.at(-2)).toContain(said)
      expect(lines.at(-1)).toBe(
        'AWS could not be reached: check AWS_ENDPOINT_URL (unset for AWS itself), AWS_REGION and the credentials'
      )
      expect(res.stderr).not.toMatch(/Unexpected token|Deserialization|s3cret|t0ken/)
      // a 404 at once; a server error a few times, not as long as the timeout lasts
      expect(Math.max(...seen.values())).toBe(1)
      status = 500
      seen.clear()
      const started = Date.now()
      const again = await cli(env, 'create', '--load-balancer', lb)
      expect(again.code).toBe(1)
      expect(again.stderr).toContain(said)
      expect(Math.max(...seen.values())).toBe(3)
      expect(Date.now() - started).toBeLessThan(20_000)
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  }, 60_000)
})
