/**
 * The retry policy on its own (src/aws/retry.ts): which errors are tried again, how long a try
 * waits, which hint an error gets. Expected values are the policy's, written out.
 */
import { describe, expect, it } from '@jest/globals'
import { backoffMs, classify, hintFor } from '../src/aws/retry.js'

const err = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(name), { name, code, $metadata: { httpStatusCode: status } })

describe('classify', () => {
  it.each([
    'TooManyRequestsException',
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'RequestLimitExceeded',
    'SlowDown',
    'PriorRequestNotComplete'
  ])('takes %s for throttling, whatever its HTTP status', name => {
    expect(classify(err(name, 400))).toBe('throttled')
    expect(classify(err(name))).toBe('throttled')
  })

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED'])(
    'retries a connection that failed with %s (no HTTP status, a plain name)',
    code => {
      expect(classify(err('Error', undefined, code))).toBe('transient')
    }
  )

  it("retries an SDK timeout by its name alone, as the SDK's connect and socket timeouts carry no code", () => {
    expect(classify(err('TimeoutError'))).toBe('transient')
    expect(classify({ name: 'TimeoutError' })).toBe('transient')
  })

  it('does not retry an unknown code, or an error with neither status, name nor code', () => {
    expect(classify(err('Error', undefined, 'EACCES'))).toBe('no')
    expect(classify(err('Error', undefined, ''))).toBe('no')
    expect(classify({})).toBe('no')
    expect(classify(null)).toBe('no')
  })

  it('takes HTTP 500 and above for a server error, 499 and below (429 aside) for a refusal', () => {
    expect(classify(err('InternalFailure', 500))).toBe('transient')
    expect(classify(err('BadGateway', 502))).toBe('transient')
    expect(classify(err('ClientClosed', 499))).toBe('no')
    expect(classify(err('Whatever', 429))).toBe('throttled')
    expect(classify(err('Conflict', 409))).toBe('no')
  })

  it('tries an answer that is not AWS again only on a server error, never as throttling', () => {
    expect(classify(err('NotAwsAnswer', 500))).toBe('transient')
    expect(classify(err('NotAwsAnswer', 503))).toBe('transient')
    expect(classify(err('NotAwsAnswer', 499))).toBe('no')
    expect(classify(err('NotAwsAnswer', 429))).toBe('no')
    expect(classify(err('NotAwsAnswer', 404))).toBe('no')
    expect(classify(err('NotAwsAnswer'))).toBe('no')
    expect(classify(err('NotAwsAnswer', undefined, 'ECONNRESET'))).toBe('no')
  })
})

describe('backoffMs', () => {
  it('doubles the ceiling from 500 ms and waits between half of it and all of it', () => {
    expect(backoffMs(1, () => 0)).toBe(250)
    expect(backoffMs(1, () => 0.5)).toBe(375)
    expect(backoffMs(1, () => 1)).toBe(500)
    expect(backoffMs(2, () => 0)).toBe(500)
    expect(backoffMs(2, () => 1)).toBe(1_000)
    expect(backoffMs(3, () => 1)).toBe(2_000)
    expect(backoffMs(6, () => 1)).toBe(16_000)
  })

  it('caps the ceiling at 32 s', () => {
    expect(backoffMs(7, () => 0)).toBe(16_000)
    expect(backoffMs(7, () => 1)).toBe(32_000)
    expect(backoffMs(8, () => 1)).toBe(32_000)
    expect(backoffMs(30, () => 0.5)).toBe(24_000)
  })

  it.each([
    ['CreateRestApi', 3_000],
    ['DeleteRestApi', 30_000],
    ['CreateDeployment', 5_000],
    ['CreateVpcLinkV2', 15_000],
    ['DeleteVpcLinkV2', 30_000]
  ])('waits about one account period of %s (%i ms) when it was throttled', (operation, period) => {
    expect(backoffMs(1, () => 0.5, operation)).toBe(period)
    expect(backoffMs(1, () => 0, operation)).toBe(period / 2)
    expect(backoffMs(1, () => 1, operation)).toBe(period * 1.5)
  })

  it('waits one more period for each refusal, up to three', () => {
    expect(backoffMs(2, () => 0.5, 'CreateRestApi')).toBe(6_000)
    expect(backoffMs(3, () => 0.5, 'CreateRestApi')).toBe(9_000)
    expect(backoffMs(4, () => 0.5, 'CreateRestApi')).toBe(9_000)
    expect(backoffMs(9, () => 0.25, 'CreateDeployment')).toBe(11_250)
  })

  it('rounds to whole milliseconds', () => {
    expect(backoffMs(1, () => 0.0001)).toBe(250)
    expect(backoffMs(1, () => 0.3333, 'CreateRestApi')).toBe(2_500)
  })

  it('backs off exponentially for an operation without an account period of its own', () => {
    expect(backoffMs(1, () => 0, 'GetRestApis')).toBe(250)
    expect(backoffMs(3, () => 1, 'GetRestApis')).toBe(2_000)
  })
})

describe('hintFor', () => {
  const credentials =
    ' (check the credentials and that their policy allows this call: see the IAM policy in the README)'

  it.each([
    'AccessDeniedException',
    'AccessDenied',
    'UnauthorizedException',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'ExpiredTokenException'
  ])('points %s at the credentials and the IAM policy', code => {
    expect(hintFor(code)).toBe(credentials)
  })

  it('has no hint of its own for a WAF item that does not exist: the WAF calls carry it (tables.unit.test.ts)', () => {
    expect(hintFor('WAFNonexistentItemException')).toBe('')
  })

  it('says a quota is reached', () => {
    expect(hintFor('LimitExceededException')).toBe(
      ' (an AWS quota is reached: delete unused resources or ask AWS to raise it)'
    )
  })

  it('has no hint for anything else', () => {
    expect(hintFor('BadRequestException')).toBe('')
    expect(hintFor('')).toBe('')
  })
})
