/**
 * A token bucket: API Gateway allows 10 requests/s per account (burst 40), shared with
 * everything else in the account, so concurrent calls here stay under the steady rate with a
 * smaller burst. Other runs spend the same budget unseen: a throttled answer halves this run's
 * rate (and drops its burst), each answer that goes through gives a little back, as TCP shares a
 * link, so that many runs at once settle near the account's rate instead of storming it.
 */
export class RateLimiter {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()
  private rate: number

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {
    this.tokens = burst
    this.last = now()
    this.rate = perSecond
  }

  /** The account said "too many": half the rate, no burst, until answers go through again. */
  throttled(): void {
    this.refill()
    this.rate = Math.max(MIN_RATE_PER_SECOND, this.rate / 2)
    this.tokens = Math.min(this.tokens, 0)
  }

  /** An answer went through: a little of the rate back, up to the full one. */
  succeeded(): void {
    if (this.rate < this.perSecond) this.rate = Math.min(this.perSecond, this.rate + RATE_STEP_PER_SECOND)
  }

  private refill(): void {
    const t = this.now()
    const cap = this.rate < this.perSecond ? 1 : this.burst
    this.tokens = Math.min(cap, this.tokens + ((t - this.last) / 1000) * this.rate)
    this.last = t
  }

  /** Resolves when a request may go; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill()
        if (this.tokens >= 1) {
          this.tokens -= 1
          return
        }
        await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000))
      }
    })
    this.queue = turn
    return turn
  }
}

export const API_RATE_PER_SECOND = 10
/** The least a run slows to after throttled answers, and what each answer that goes through gives back. */
const MIN_RATE_PER_SECOND = 0.5
const RATE_STEP_PER_SECOND = 0.25
export const API_BURST = 20
