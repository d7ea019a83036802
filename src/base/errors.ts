import type { InputName } from './constants.js'

/** A problem with what the user passed: always names the input, always found before any AWS write. */
export class InputError extends Error {
  constructor(
    readonly input: InputName,
    message: string
  ) {
    super(`Input '${input}': ${message}`)
    this.name = 'InputError'
  }
}

/** A failure the action explains itself (not found, not ours, wrong kind of load balancer, timed out). */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionError'
  }
}

/**
 * Something the run relied on changed under it (another run at work): the run reads everything
 * again and plans anew, within its 'timeout'.
 */
export class ChangedUnderUs extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChangedUnderUs'
  }
}

/**
 * Errors after which a create reads again and re-plans: AWS's 409 and 404 in the middle of an apply, and our
 * own.
 */
export function isChangeUnderUs(error: unknown): error is ChangedUnderUs | AwsCallError {
  return error instanceof ChangedUnderUs || isAwsError(error, 'ConflictException', 'NotFoundException')
}

/** An AWS call that failed for good (after retries, where retrying made sense). */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    /** The AWS error name, e.g. NotFoundException; how callers recognise an error. */
    readonly code: string,
    readonly status: number | undefined,
    message: string
  ) {
    super(message)
    this.name = 'AwsCallError'
  }
}

export function isAwsError(error: unknown, ...codes: string[]): error is AwsCallError {
  return error instanceof AwsCallError && codes.includes(error.code)
}

/** Text for anything thrown, Error or not. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return `Unexpected non-error thrown: ${JSON.stringify(error)}`
  } catch {
    return `Unexpected non-error thrown: ${String(error)}`
  }
}
