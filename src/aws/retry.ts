/** The retry policy: which AWS errors are worth another try, how long to wait, what to tell the user. */

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  // Route 53: a change to the same records is still being applied
  'PriorRequestNotComplete'
])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED'
])

/** Max attempts for server errors and broken connections; throttling is bounded by the deadline alone. */
export const MAX_TRANSIENT_ATTEMPTS = 6
/**
 * The error of an answer no AWS API gives (HTML, plain text; see clients.ts): an endpoint that is not AWS.
 * Never taken for throttling; a server error of its is tried MAX_NOT_AWS_ATTEMPTS times in all (a gateway in
 * between may be restarting), anything else fails at once (a wrong AWS_ENDPOINT_URL stays wrong).
 */
export const NOT_AWS_ANSWER = 'NotAwsAnswer'
export const MAX_NOT_AWS_ATTEMPTS = 3
/** Backoff doubles from BASE up to CAP: the cap lets a retry wait out DeleteRestApi's 1 per 30 s. */
const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 32_000

/**
 * API Gateway's own limits per call, per account and region (aws-facts.md), shared by every
 * workflow in the account: one call per this many milliseconds. A throttled call of these is
 * retried about one period later, not sooner (each earlier try is another 429 spent from the
 * account's budget) and not much later (the slot would stand idle).
 */
export const ACCOUNT_PERIOD_MS: Readonly<Record<string, number>> = {
  CreateRestApi: 3_000,
  DeleteRestApi: 30_000,
  CreateDeployment: 5_000,
  CreateVpcLinkV2: 15_000,
  DeleteVpcLinkV2: 30_000
}

export type Retry = 'throttled' | 'transient' | 'no'

export interface SdkErrorShape {
  name?: string
  code?: string
  $fault?: string
  $metadata?: { httpStatusCode?: number }
}

export function classify(error: unknown): Retry {
  const e = (error ?? {}) as SdkErrorShape
  const status = e.$metadata?.httpStatusCode
  const name = e.name ?? ''
  if (name === NOT_AWS_ANSWER) return status !== undefined && status >= 500 ? 'transient' : 'no'
  if (THROTTLING.has(name) || status === 429) return 'throttled'
  if (status !== undefined && status >= 500) return 'transient'
  if (name === 'TimeoutError' || (e.code && NETWORK_CODES.has(e.code))) return 'transient'
  return 'no'
}

/**
 * How long to wait before attempt `attempt + 1`. A throttled call with an account limit of its
 * own waits a period, jittered by half of one either way (runs that collided spread out); the
 * rest back off exponentially.
 */
export function backoffMs(attempt: number, random: () => number, throttledOperation?: string): number {
  const period = throttledOperation === undefined ? undefined : ACCOUNT_PERIOD_MS[throttledOperation]
  // later tries further apart: a call refused again and again has many runs ahead of it
  if (period !== undefined) return Math.round(period * (0.5 + random()) * Math.min(attempt, 3))
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
  // "equal jitter": never less than half the ceiling, so a 30 s limit is waited out in few tries
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** An AWS call that failed for want of AWS: no connection, no answer in time, or an answer that is not AWS's. */
export function isConnectionCode(code: string): boolean {
  return NETWORK_CODES.has(code) || code === 'TimeoutError' || code === NOT_AWS_ANSWER
}

/** An AWS call refused for its credentials: none, unknown, expired or badly signed. */
export function isCredentialsCode(code: string): boolean {
  return [
    'CredentialsProviderError',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'InvalidSignatureException',
    'ExpiredTokenException',
    'ExpiredToken'
  ].includes(code)
}

export function hintFor(code: string): string {
  switch (code) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnauthorizedException':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'ExpiredTokenException':
      return (
        ' (check the credentials and that their policy allows this call: ' +
        'see the IAM policy in the README)'
      )
    case 'LimitExceededException':
      return ' (an AWS quota is reached: delete unused resources or ask AWS to raise it)'
    default:
      return ''
  }
}
