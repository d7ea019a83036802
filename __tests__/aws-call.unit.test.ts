/**
 * The AWS boundary on its own: which errors are retried, and the guard that refuses a write in a
 * read-only run. Error shapes are the SDK's own: a connect or socket timeout of the Node HTTP
 * handler is an Error named `TimeoutError` with no `code` (@smithy/node-http-handler), a dropped
 * connection carries only Node's `code`.
 */
import { describe, expect, it } from '@jest/globals'
import { call } from '../src/aws/call.js'
import type { AwsContext } from '../src/aws/context.js'
import { classify } from '../src/aws/retry.js'
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
