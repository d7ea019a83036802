import type { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { AwsCallError, errorMessage } from '../errors.js'
import type { Log } from '../log.js'

/** The v2 client and its module, loaded on first use: most runs never need them. */
export type ApiGatewayV2 = { client: ApiGatewayV2Client; v2: typeof import('@aws-sdk/client-apigatewayv2') }

export interface CallRecord {
  operation: string
  write: boolean
  attempts: number
  ok: boolean
}

/** Everything the AWS layer needs: clients, the run's deadline, a swappable clock and sleep. */
export interface AwsContext {
  region: string
  apigw: APIGatewayClient
  /** For VPC links v2 only. */
  apigwv2: () => Promise<ApiGatewayV2>
  elb: ElasticLoadBalancingV2Client
  log: Log
  /** Epoch ms after which no retry or wait starts (from the `timeout` input). */
  deadline: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
  /** Every call made, in order: for tests, the job summary and the benchmark. */
  calls: CallRecord[]
  /** When set, a write call is refused: a last guard for plans that must not write. */
  readOnly?: boolean
  /** Keeps the run within API Gateway's account-wide request rate. */
  limiter?: RateLimiter
}

/**
 * A token bucket: API Gateway allows 10 requests/s per account (burst 40), shared with
 * everything else in the account, so concurrent calls here stay under the steady rate with a
 * smaller burst.
 */
export class RateLimiter {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Resolves when a request may go; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now()
        this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
        this.last = t
        if (this.tokens >= 1) {
          this.tokens -= 1
          return
        }
        await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000))
      }
    })
    this.queue = turn
    return turn
  }
}

export const API_RATE_PER_SECOND = 10
export const API_BURST = 20

const WRITE_RE = /^(Create|Put|Update|Delete|Tag|Untag|Import|Modify|Set|Add|Remove)/

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown'
])
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED'])

/** Max attempts for server errors and broken connections; throttling is bounded by the deadline alone. */
const MAX_TRANSIENT_ATTEMPTS = 6
/** Backoff doubles from BASE up to CAP: the cap lets a retry wait out DeleteRestApi's 1 per 30 s. */
const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 32_000

type Retry = 'throttled' | 'transient' | 'no'

interface SdkErrorShape {
  name?: string
  code?: string
  $fault?: string
  $metadata?: { httpStatusCode?: number }
}

export function classify(error: unknown): Retry {
  const e = (error ?? {}) as SdkErrorShape
  const status = e.$metadata?.httpStatusCode
  const name = e.name ?? ''
  if (THROTTLING.has(name) || status === 429) return 'throttled'
  if (status !== undefined && status >= 500) return 'transient'
  if (name === 'TimeoutError' || (e.code && NETWORK_CODES.has(e.code))) return 'transient'
  return 'no'
}

export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
  // "equal jitter": never less than half the ceiling, so a 30 s limit is waited out in few tries
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

function hintFor(code: string): string {
  switch (code) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnauthorizedException':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'ExpiredTokenException':
      return ' (check the credentials and that their policy allows this call: see the IAM policy in the README)'
    case 'LimitExceededException':
      return ' (an AWS quota is reached: delete unused resources or ask AWS to raise it)'
    default:
      return ''
  }
}

/**
 * Runs one AWS call with retries: throttling until the deadline, server errors and broken
 * connections a few times, everything else at once. Failures come out as AwsCallError.
 */
export interface CallOptions<T> {
  /**
   * For creates: after a failure that may have taken effect (a server error, a dropped
   * connection; not throttling, which AWS refuses before acting), look for what the lost
   * attempt made and adopt it instead of making a second one.
   */
  adopt?: () => Promise<T | undefined>
}

export async function call<T>(ctx: AwsContext, operation: string, fn: () => Promise<T>, options: CallOptions<T> = {}): Promise<T> {
  const write = WRITE_RE.test(operation)
  if (write && ctx.readOnly) throw new Error(`internal error: write call ${operation} attempted in a read-only run`)
  const record: CallRecord = { operation, write, attempts: 0, ok: false }
  ctx.calls.push(record)
  for (;;) {
    record.attempts++
    await ctx.limiter?.take()
    try {
      ctx.log.debug(`${operation} (attempt ${record.attempts})`)
      const result = await fn()
      record.ok = true
      return result
    } catch (error) {
      const e = (error ?? {}) as SdkErrorShape
      const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error')
      const status = e.$metadata?.httpStatusCode
      const kind = classify(error)
      const delay = backoffMs(record.attempts, ctx.random)
      const why = `${code}${status ? ` (HTTP ${status})` : ''}: ${errorMessage(error)}`
      if (code === 'CredentialsProviderError') {
        throw new AwsCallError(
          operation,
          code,
          status,
          'No AWS credentials were found: add aws-actions/configure-aws-credentials (with a role to assume) before this step, ' +
            `or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS SDK: ${errorMessage(error)})`
        )
      }
      if (kind === 'no') {
        throw new AwsCallError(operation, code, status, `${operation} failed: ${why}${hintFor(code)}`)
      }
      if (kind === 'transient' && record.attempts >= MAX_TRANSIENT_ATTEMPTS) {
        throw new AwsCallError(operation, code, status, `${operation} failed ${record.attempts} times; last: ${why}`)
      }
      if (ctx.now() + delay > ctx.deadline) {
        throw new AwsCallError(
          operation,
          code,
          status,
          `${operation} gave up after ${record.attempts} attempts: the 'timeout' ran out while AWS kept answering ${why}`
        )
      }
      ctx.log.debug(`${operation}: ${why}; retrying in ${delay} ms`)
      await ctx.sleep(delay)
      if (kind === 'transient' && options.adopt) {
        const made = await options.adopt()
        if (made !== undefined) {
          ctx.log.info(`${operation}: the attempt whose answer was lost did take effect; using what it made`)
          record.ok = true
          return made
        }
      }
    }
  }
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Promise.all that lets every call finish before reporting the first failure, so no call is
 * left running unobserved behind an error.
 */
export async function all<T extends readonly unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const results = await Promise.allSettled(promises)
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T
}

/**
 * Every page of a listing. `page` fetches one page from a token and gives its items and the
 * next token; a token that repeats ends it (an emulator may ignore paging).
 */
export async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const got = await page(token)
    items.push(...got.items)
    token = got.next && got.next !== token ? got.next : undefined
  } while (token)
  return items
}
