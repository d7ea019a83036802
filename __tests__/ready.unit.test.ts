/** wait-for-ready: a local HTTP server on loopback stands in for the invoke URL. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AwsContext } from '../src/aws/context.js'
import { memoryLog } from '../src/report/log.js'
import { waitForReady } from '../src/engine/ready.js'

let server: Server
let base: string
let answers: number[] = []
const seen: { path: string; headers: IncomingHttpHeaders }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers })
    res.writeHead(answers.shift() ?? 200)
    res.end('ok')
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>(r => server.close(() => r())))

function context(timeoutMs: number): AwsContext & { clock: number } {
  const ctx = {
    clock: 0,
    log: memoryLog(),
    now: () => ctx.clock,
    deadline: timeoutMs,
    sleep: async (ms: number) => {
      ctx.clock += ms
    }
  }
  return ctx as unknown as AwsContext & { clock: number }
}

describe('waitForReady', () => {
  it('polls until the backend answers below 500, and returns that status', async () => {
    answers = [503, 502, 504, 404]
    seen.length = 0
    const ctx = context(60_000)
    expect(await waitForReady(ctx, { url: `${base}/dev/healthz`, region: 'us-west-2' })).toBe(404)
    expect(seen.map(s => s.path)).toEqual(Array(4).fill('/dev/healthz'))
    expect(seen[0].headers.authorization).toBeUndefined()
    expect((ctx.log as ReturnType<typeof memoryLog>).lines).toContain(
      `Waiting for ${base}/dev/healthz: 503 after 0s`
    )
  })

  it('probes a ready-path with a query as given, but never logs the query or fragment (issue 20, hole 9)', async () => {
    answers = [503, 200]
    seen.length = 0
    const ctx = context(60_000)
    await waitForReady(ctx, { url: `${base}/dev/healthz?token=hunter3`, region: 'us-west-2' })
    expect(seen.map(s => s.path)).toEqual(Array(2).fill('/dev/healthz?token=hunter3'))
    const lines = (ctx.log as ReturnType<typeof memoryLog>).lines
    expect(lines).toContain(`Waiting for ${base}/dev/healthz?***: 503 after 0s`)
    expect(lines.join('\n')).not.toContain('hunter3')
    answers = Array<number>(50).fill(503)
    const error = await waitForReady(context(10_000), {
      url: `${base}/dev/x#hunter3`,
      region: 'us-west-2'
    }).catch((e: unknown) => e as Error)
    expect(String(error)).toContain(`waiting for ${base}/dev/x#*** `)
  })

  it('signs the probe with SigV4 for execute-api when given credentials', async () => {
    answers = [200]
    seen.length = 0
    await waitForReady(context(10_000), {
      url: `${base}/dev/`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }
    })
    const h = seen[0].headers
    expect(h.authorization).toMatch(
      new RegExp(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /.source +
          /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, /.source +
          /Signature=[0-9a-f]{64}$/.source
      )
    )
    expect(h['x-amz-security-token']).toBe('token')
  })

  it('gives up at the timeout with the last answer', async () => {
    answers = Array<number>(100).fill(503)
    await expect(waitForReady(context(8_000), { url: `${base}/dev/`, region: 'us-west-2' })).rejects.toThrow(
      /Timed out after \ds waiting for .*\/dev\/ to answer \(last: 503\)/
    )
    answers = []
  })

  it('treats a refused connection as not ready yet', async () => {
    const closed = createServer()
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/dev/`
    await new Promise<void>(r => closed.close(() => r()))
    await expect(waitForReady(context(3_000), { url, region: 'us-west-2' })).rejects.toThrow(
      /last: fetch failed/
    )
  })
})
