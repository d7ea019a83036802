/**
 * The AWS boundary on its own: which errors are retried, and the guard that refuses a write in a
 * read-only run. Error shapes are the SDK's own: a connect or socket timeout of the Node HTTP
 * handler is an Error named `TimeoutError` with no `code` (@smithy/node-http-handler), a dropped
 * connection carries only Node's `code`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway'
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { call } from '../src/aws/call.js'
import { makeClients } from '../src/aws/clients.js'
import type { AwsContext } from '../src/aws/context.js'
import { classify } from '../src/aws/retry.js'
import { AwsCallError } from '../src/base/errors.js'
import { memoryLog } from '../src/report/log.js'

/** An error as the SDK's HTTP handler throws it on a connect or socket timeout. */
function sdkTimeout(): Error {
  const error = new Error('Connection timed out after 1000 ms')
  error.name = 'TimeoutError'
  return error
}

function context(overrides: Partial<AwsContext> = {}): AwsContext {
  let clock = 0
  return {
    region: 'us-west-2',
    log: memoryLog(),
    deadline: 60_000,
    now: () => clock,
    sleep: ms => {
      clock += ms
      return Promise.resolve()
    },
    random: () => 0.5,
    calls: [],
    ...overrides
  } as AwsContext
}

describe('classify', () => {
  it('retries an SDK timeout, which has a name and no code', () => {
    expect(classify(sdkTimeout())).toBe('transient')
  })

  it('retries a dropped connection, which has only a code', () => {
    expect(classify(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient')
  })

  it('retries throttling by name and by HTTP 429, and server errors by status', () => {
    expect(classify({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } })).toBe(
      'throttled'
    )
    expect(classify({ name: 'Unknown', $metadata: { httpStatusCode: 429 } })).toBe('throttled')
    expect(classify({ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } })).toBe(
      'transient'
    )
  })

  it('does not retry what AWS refused for good', () => {
    expect(classify({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } })).toBe('no')
    expect(classify({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } })).toBe('no')
    expect(classify(new Error('plain'))).toBe('no')
    expect(classify(undefined)).toBe('no')
  })
})

describe('call', () => {
  it('tries again after an SDK timeout, and returns the answer of the next try', async () => {
    const ctx = context()
    let tries = 0
    const answer = await call(ctx, 'GetRestApis', () => {
      tries++
      return tries === 1 ? Promise.reject(sdkTimeout()) : Promise.resolve('listed')
    })
    expect(answer).toBe('listed')
    expect(tries).toBe(2)
    expect(ctx.calls).toEqual([{ operation: 'GetRestApis', write: false, attempts: 2, ok: true }])
  })

  it('refuses a write in a read-only run before it reaches AWS', async () => {
    const ctx = context({ readOnly: true })
    let sent = 0
    const attempt = () => {
      sent++
      return Promise.resolve('made')
    }
    await expect(call(ctx, 'CreateRestApi', attempt)).rejects.toThrow(
      'internal error: write call CreateRestApi attempted in a read-only run'
    )
    await expect(call(ctx, 'TagResource', attempt)).rejects.toThrow(/read-only run/)
    expect(sent).toBe(0)
    // reads still go
    await expect(call(ctx, 'GetRestApis', attempt)).resolves.toBe('made')
    expect(sent).toBe(1)
  })
})

/**
 * An endpoint that is not AWS (plain moto's HTML error page, any web server at AWS_ENDPOINT_URL): the
 * error says so in words, not in the SDK's deserialization text, and it is not retried as throttling
 * or for long. A real HTTP server on loopback answers; the clients are the action's own.
 */
describe('an endpoint that is not AWS', () => {
  const HTML = '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<p>Oops</p>\n'
  let answer = { status: 500, type: 'text/html; charset=utf-8', body: HTML }
  let requests = 0
  let server: Server
  let origin = ''
  const saved = { ...process.env }

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++
      res.writeHead(answer.status, { 'content-type': answer.type })
      res.end(answer.body)
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    process.env = saved
    await new Promise(resolve => server.close(resolve))
  })

  /** The action's clients, at an endpoint given as users give it. */
  function clientsAt(endpoint: string): ReturnType<typeof makeClients> {
    process.env = {
      ...saved,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing'
    }
    return makeClients('us-west-2')
  }

  async function failure(run: () => Promise<unknown>): Promise<AwsCallError> {
    try {
      await run()
    } catch (error) {
      return error as AwsCallError
    }
    throw new Error('the call did not fail')
  }

  const said = (url: string) => `the endpoint at ${url} answered HTML, not AWS: check AWS_ENDPOINT_URL`

  it.each([
    [500, 3],
    [502, 3],
    [404, 1],
    [200, 1],
    [429, 1]
  ])('says an HTML answer (HTTP %i) is not AWS, after %i tries', async (status, tries) => {
    answer = { status, type: 'text/html; charset=utf-8', body: HTML }
    requests = 0
    const ctx = context()
    const { apigw } = clientsAt(origin)
    const error = await failure(() => call(ctx, 'GetRestApis', () => apigw.send(new GetRestApisCommand({}))))
    expect(error).toBeInstanceOf(AwsCallError)
    expect(error.message).toContain(said(origin))
    expect(error.message).toContain(`(HTTP ${status})`)
    expect(error.message).not.toMatch(/Unexpected token|Deserialization|SyntaxError|\$response/)
    // a server error a few times (a gateway in between may be restarting), anything else once
    expect(requests).toBe(tries)
    expect(ctx.calls[0]?.attempts).toBe(tries)
  })

  it('says so for the XML services too, where the SDK would read an HTML 200 as an empty answer', async () => {
    answer = { status: 200, type: 'text/html', body: HTML }
    requests = 0
    const { elb } = clientsAt(origin)
    const error = await failure(() =>
      call(context(), 'DescribeLoadBalancers', () => elb.send(new DescribeLoadBalancersCommand({})))
    )
    expect(error.message).toContain(said(origin))
    expect(requests).toBe(1)
  })

  it('tells plain text from HTML, whatever its content type', async () => {
    answer = { status: 404, type: 'text/plain', body: 'Not Found' }
    const { apigw } = clientsAt(origin)
    const error = await failure(() =>
      call(context(), 'GetRestApis', () => apigw.send(new GetRestApisCommand({})))
    )
    expect(error.message).toContain(
      `the endpoint at ${origin} answered text that is neither JSON nor XML, not AWS: check AWS_ENDPOINT_URL`
    )
    // HTML labelled as JSON is HTML still
    answer = { status: 200, type: 'application/json', body: `  ${HTML.toUpperCase()}` }
    const html = await failure(() =>
      call(context(), 'GetRestApis', () => apigw.send(new GetRestApisCommand({})))
    )
    expect(html.message).toContain(said(origin))
  })

  it('names the endpoint without its credentials, path or query', async () => {
    answer = { status: 404, type: 'text/html', body: HTML }
    const { apigw } = clientsAt(`${origin.replace('//', '//user:s3cret@')}/base/?token=t0ken#frag`)
    const error = await failure(() =>
      call(context(), 'GetRestApis', () => apigw.send(new GetRestApisCommand({})))
    )
    expect(error.message).toContain(said(origin))
    expect(error.message).not.toMatch(/s3cret|user|t0ken|frag|base/)
  })

  it("reads AWS's answers as before: JSON, and an AWS error in JSON (moto labels both text/html)", async () => {
    answer = { status: 200, type: 'text/html; charset=utf-8', body: '{"item": [{"id": "a1", "name": "x"}]}' }
    const { apigw } = clientsAt(origin)
    const listed = await call(context(), 'GetRestApis', () => apigw.send(new GetRestApisCommand({})))
    expect(listed.items).toEqual([{ id: 'a1', name: 'x' }])
    answer = {
      status: 404,
      type: 'application/json',
      body: '{"message": "Invalid API identifier specified"}'
    }
    const error = await failure(() =>
      call(context(), 'GetRestApis', () => apigw.send(new GetRestApisCommand({})))
    )
    expect(error.message).toMatch(/^GetRestApis failed: \w+ \(HTTP 404\): Invalid API identifier specified$/)
  })
})
