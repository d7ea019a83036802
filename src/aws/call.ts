/** The one way to AWS: every call goes through `call`, which retries, records and guards it. */
import { AwsCallError, errorMessage, isAwsError } from '../base/errors.js'
import { counted } from '../report/words.js'
import type { AwsContext, CallRecord } from './context.js'
import {
  ACCOUNT_PERIOD_MS,
  backoffMs,
  classify,
  hintFor,
  MAX_NOT_AWS_ATTEMPTS,
  MAX_TRANSIENT_ATTEMPTS,
  NOT_AWS_ANSWER,
  type SdkErrorShape
} from './retry.js'

/** A last try goes this long before the deadline at the latest. */
const LAST_TRY_MARGIN_MS = 1_000

const WRITE_RE =
  /^(Create|Put|Update|Delete|Tag|Untag|Import|Modify|Set|Add|Remove|Change|Associate|Disassociate)/

export interface CallOptions<T> {
  /**
   * For creates: after a failure that may have taken effect (a server error, a dropped
   * connection; not throttling, which AWS refuses before acting), look for what the lost
   * attempt made and adopt it instead of making a second one.
   */
  adopt?: () => Promise<T | undefined>
  /**
   * 'fail': a throttled answer is thrown at once (as AwsCallError TooManyRequestsException), for
   * a caller that waits its own way; 'retry' (the default) retries until the deadline.
   */
  onThrottle?: 'retry' | 'fail'
  /** By error code: what to check, said after the error where the code is one a feature knows best. */
  hints?: Record<string, string>
}

/**
 * Runs one AWS call with retries: throttling until the deadline, server errors and broken
 * connections a few times, everything else at once. Failures come out as AwsCallError. Every
 * call is recorded, and a write in a read-only (dry) run is refused.
 */
export async function call<T>(
  ctx: AwsContext,
  operation: string,
  fn: () => Promise<T>,
  options: CallOptions<T> = {}
): Promise<T> {
  const write = WRITE_RE.test(operation)
  if (write && ctx.readOnly)
    throw new Error(`internal error: write call ${operation} attempted in a read-only run`)
  const record: CallRecord = { operation, write, attempts: 0, ok: false }
  ctx.calls.push(record)
  // server errors and broken connections so far: throttled tries do not count toward the cap
  let transientFailures = 0
  for (;;) {
    record.attempts++
    await ctx.limiter?.take()
    try {
      ctx.log.debug(`${operation} (attempt ${record.attempts})`)
      const result = await fn()
      ctx.limiter?.succeeded()
      record.ok = true
      return result
    } catch (error) {
      const e = (error ?? {}) as SdkErrorShape
      const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error')
      const status = e.$metadata?.httpStatusCode
      const kind = classify(error)
      // the account's budget, spent by other runs too: slow down (a call with a limit of its own
      // was most likely refused by that one, which says nothing of the rest)
      if (kind === 'throttled' && ACCOUNT_PERIOD_MS[operation] === undefined) ctx.limiter?.throttled()
      const delay = backoffMs(record.attempts, ctx.random, kind === 'throttled' ? operation : undefined)
      const why = `${code}${status ? ` (HTTP ${status})` : ''}: ${errorMessage(error)}`
      if (code === 'CredentialsProviderError') throw noCredentials(operation, status, error)
      if (kind === 'no' || (kind === 'throttled' && options.onThrottle === 'fail')) {
        throw new AwsCallError(
          operation,
          code,
          status,
          `${operation} failed: ${why}${options.hints?.[code] ?? hintFor(code)}`
        )
      }
      if (kind === 'transient') transientFailures++
      const cap = code === NOT_AWS_ANSWER ? MAX_NOT_AWS_ATTEMPTS : MAX_TRANSIENT_ATTEMPTS
      if (kind === 'transient' && transientFailures >= cap) {
        throw new AwsCallError(
          operation,
          code,
          status,
          `${operation} failed ${transientFailures} times with a server error or a broken connection; last: ${why}`
        )
      }
      // a wait past the deadline is cut short to one last try just before it
      const left = ctx.deadline - ctx.now() - LAST_TRY_MARGIN_MS
      const wait = Math.min(delay, left)
      if (left <= 0) {
        throw new AwsCallError(
          operation,
          code,
          status,
          `${operation} gave up after ${counted(record.attempts, 'attempt')}: ` +
            `the 'timeout' ran out while AWS kept answering ${why}`
        )
      }
      ctx.log.debug(`${operation}: ${why}; retrying in ${wait} ms`)
      await ctx.sleep(wait)
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

/** No credentials: what to add to the workflow, not the SDK's words alone. */
function noCredentials(operation: string, status: number | undefined, error: unknown): AwsCallError {
  return new AwsCallError(
    operation,
    'CredentialsProviderError',
    status,
    'No AWS credentials were found: ' +
      'add aws-actions/configure-aws-credentials (with a role to assume) before this step, ' +
      `or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS SDK: ${errorMessage(error)})`
  )
}

/** The answer, or undefined where AWS says the thing is not there (NotFound, or the `also` codes). */
export async function unlessNotFound<T>(answer: Promise<T>, ...also: string[]): Promise<T | undefined> {
  try {
    return await answer
  } catch (error) {
    if (isAwsError(error, 'NotFoundException', ...also)) return undefined
    throw error
  }
}
